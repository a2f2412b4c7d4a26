export * from './artifact.js';
export * from './artifact-kind.js';
export { ArtifactStore, type ArtifactStoreOptions } from './artifact-store.js';
export type { ArtifactPage } from './list-query.js';
export {
  StoreArtifactInput,
  ListArtifactsOptions,
  LineageOptions,
  ShareOptions,
} from './store-input.js';
export { contentShape, defaultKind, defaultMimeType, kindFromName, type ArtifactContent } from './content-kind.js';
export { artifactS3Key, newArtifactId } from './keys.js';

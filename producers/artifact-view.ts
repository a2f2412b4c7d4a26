// Artifact visibility lives in src/client/ so the in-network producer shows artifacts exactly as the API does.
export * from '../src/client/artifact-view.js';

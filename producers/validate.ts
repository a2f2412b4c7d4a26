// Input parsing lives in src/client/ so the in-network producer reports bad input exactly as the API does.
export * from '../src/client/parse-input.js';

// The ownership checks live in src/client/ so the in-network producer runs the very same ones.
export * from '../src/client/ownership.js';

/** Longest message the API takes, in characters (`MessageRequest.content`); longer text goes in an attached file. */
export const MAX_MESSAGE_CHARS = 100_000;

import { normaliseQuestion } from './capability-question.js';

/**
 * Questions about the session rather than a task: "what's in this file?" (the overview of the file
 * it is about) and "what have you done so far?" (the session's history). Whole-message patterns,
 * like the capability questions: a message that asks for more than that is a task for the router.
 */

const THIS = String.raw`(?: (?:this|the|that|it|my|our))?`;
const FILE = String.raw`(?: (?:new |attached |uploaded )?(?:file|upload|attachment|export|document|data(?:set)?|one|thing|csv|jil|autosys file|csv file|jil file))?`;

const OVERVIEW: readonly RegExp[] = [
  new RegExp(String.raw`^what is (?:in|inside|in side)${THIS}${FILE}$`),
  new RegExp(String.raw`^what is${THIS}${FILE}(?: about| for)?$`),
  new RegExp(String.raw`^what (?:does|do)${THIS}${FILE} (?:contain|have|hold|say|include|look like)(?: in it)?$`),
  new RegExp(String.raw`^what (?:kind|sort|type) of (?:file|data) is${THIS}${FILE}$`),
  new RegExp(String.raw`^(?:can you |could you |please )?(?:describe|summari[sz]e|explain|look at|check out|inspect|examine|go through|have a look at|take a look at)(?: me)?${THIS}${FILE}(?: for me)?$`),
  new RegExp(String.raw`^(?:can you |could you )?tell me (?:about|what is in|what is inside|what is in side)${THIS}${FILE}$`),
  new RegExp(String.raw`^(?:give me |show me |i want |i would like )?(?:an? )?(?:quick )?(?:overview|summary|rundown|look)(?: of| at)?${THIS}${FILE}$`),
  /^what (?:am i|are we) looking at$/,
];

const HISTORY: readonly RegExp[] = [
  /^what (?:have|did) (?:you|we|i) (?:done|do|run|ran|made|make|created|create)(?: (?:so far|until now|up to now|yet|here|in this session|already|before|earlier|for me))*$/,
  /^what (?:has|have) (?:been )?(?:happened|done|run|made)(?: (?:so far|until now|in this session|here|yet))*$/,
  /^what happened(?: (?:so far|until now|in this session|here|earlier))*$/,
  /^(?:give me |show me |can you give me )?(?:an? |the )?(?:recap|history)(?: of (?:this|the|our) (?:session|conversation|chat))?(?: so far)?$/,
  /^(?:give me |show me |can you give me )?(?:an? )?(?:summary|rundown|overview) of (?:this|the|our) (?:session|conversation|chat)(?: so far)?$/,
  /^(?:summari[sz]e|recap) (?:this|the|our) (?:session|conversation|chat)(?: so far)?$/,
  /^(?:where are we|where were we|where did we leave off)$/,
  /^(?:which|what) (?:workflows?|runs?|jobs?|steps?) (?:have|did) (?:you|we) (?:run|ran|done|do)(?: (?:so far|until now|in this session|yet))*$/,
];

/** True when the whole message asks what a file is or holds, naming no task. */
export function isFileOverviewQuestion(message: string): boolean {
  if (message.length > 200) return false;
  const text = normaliseQuestion(message);
  return text.length > 0 && OVERVIEW.some((re) => re.test(text));
}

/** True when the whole message asks what this session has done so far. */
export function isHistoryQuestion(message: string): boolean {
  if (message.length > 200) return false;
  const text = normaliseQuestion(message);
  return text.length > 0 && HISTORY.some((re) => re.test(text));
}

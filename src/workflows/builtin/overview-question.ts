/**
 * Questions a file's overview answers ("what's in this file", "list the jobs", "which columns are
 * there", "describe it"), for the `answer` of the workflows that give one. Cheap: a pattern, no I/O.
 */
const OVERVIEW =
  /\bwhat(?:'s| is| are)? (?:in|inside)\b|\bwhat (?:does|do) (?:this|the|that|it)\b.*\b(?:contain|have|hold|include)\b|\bwhat is (?:this|that|it)\b|\b(?:describe|summari[sz]e|overview|rundown|tell me about)\b|\b(?:list|show|which|what)\b.*\b(?:jobs|boxes|columns|fields)\b|\bhow many (?:jobs|boxes|columns|rows)\b|\bwhat\b.*\b(?:contains?|holds?)\b|\bcontents? of\b/i;

/** Words of a question about how things relate ("what jobs run after X", "which columns fail"): not an overview. */
const RELATION_WORDS = /\b(?:after|before|depends?|dependenc(?:y|ies)|waits?|waiting|follows?|triggers?|upstream|downstream|fails?|breaks?|wrong|problems?|errors?)\b/i;

export function isOverviewQuestion(question: string): boolean {
  return question.length <= 500 && OVERVIEW.test(question) && !RELATION_WORDS.test(question);
}

/** Asks whether something is wrong with the file: "is anything wrong", "any problems", "any errors", "is it valid". */
const PROBLEMS = /\b(?:wrong|problems?|issues?|errors?|broken|invalid|valid|mistakes?|bugs?|sanity)\b/i;

export function isProblemsQuestion(question: string): boolean {
  return question.length <= 500 && PROBLEMS.test(question);
}

/** Most names listed in one sentence of an overview. */
export const MAX_LISTED = 40;

/** `a, b and 3 more`. */
export function listNames(names: readonly string[]): string {
  const shown = names.slice(0, MAX_LISTED);
  return `${shown.join(', ')}${names.length > shown.length ? ` and ${names.length - shown.length} more` : ''}`;
}

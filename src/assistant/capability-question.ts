/**
 * Questions about the assistant itself ("what can you do", "help", "which formats do you read").
 * They are answered with the capability list, whatever the router makes of them: "read" in
 * "which formats do you read" must not start a parse.
 */

/** Greetings and fillers around a question. */
const LEAD = /^(?:(?:hi|hello|hey|ok|okay|so|well|please|pls|and|um|uh)\b[\s,!.]*)+/;
const TAIL = /[\s,]*(?:\b(?:please|pls|thanks|thank you|exactly|here|today|again|for me|then)\b[\s,]*)*[?!.\s]*$/;

const YOU = String.raw`(?:you|u|this(?: (?:assistant|tool|thing|bot|app|service))?|the (?:assistant|tool|bot|app|service)|dataops(?: agent)?)`;
const FORMATS = String.raw`(?:(?:file )?formats?|file types?|(?:types|kinds) of (?:files?|data|inputs?)|files?|inputs?|data formats?)`;
const CAPS = String.raw`(?:capabilities|features|skills|workflows?|tools|commands|functions|options|abilities)`;

const PATTERNS: readonly RegExp[] = [
  /^(?:\/|!)?help(?: me)?$/,
  /^(?:can|could) you help(?: me)?$/,
  /^\?+$/,
  /^(?:i need help|need help|how does this work|how do i (?:use|start)(?: this| it)?|where do i start|getting started)$/,
  new RegExp(String.raw`^what (?:(?:else|all|exactly|kind of things|sort of things|things) )?(?:can|could|do|are|will) ${YOU} (?:do|offer|able to do|capable of|good at|for|help(?: me)? with)(?: for me)?$`),
  new RegExp(String.raw`^what (?:can|could|should|may) i (?:ask|do|use)(?: ${YOU}| here| with ${YOU})?(?: for| to do)?$`),
  new RegExp(String.raw`^how (?:can|could|do|will) ${YOU} help(?: me)?$`),
  new RegExp(String.raw`^(?:what|which) (?:are )?(?:your|the) ${CAPS}(?: do you have| are there| are available)?$`),
  new RegExp(String.raw`^(?:what|which) ${CAPS} (?:do|can) ${YOU} (?:have|run|offer|support|do)$`),
  new RegExp(String.raw`^(?:what|which) ${CAPS} (?:are|is) (?:there|available)$`),
  new RegExp(String.raw`^(?:list|show(?: me)?|tell me|give me)(?: all)? (?:your|the|all|of your|what)? ?${CAPS}(?: you have)?$`),
  new RegExp(String.raw`^(?:tell me )?what (?:you can do|you do|you are able to do|you support)$`),
  new RegExp(String.raw`^(?:what|which) ${FORMATS} (?:do|can|does|will) ${YOU} (?:read|support|accept|handle|understand|parse|take|work with|know|process|open)$`),
  new RegExp(String.raw`^(?:what|which) (?:do|can) ${YOU} (?:read|support|accept|handle|understand|work with)$`),
  new RegExp(String.raw`^(?:do|can) ${YOU} (?:read|support|accept|handle|understand|parse|work with) (?:any )?${FORMATS}$`),
  new RegExp(String.raw`^(?:who|what) are ${YOU}$`),
];

/** Lowercase, quotes and extra spaces gone, greetings and "please" trimmed, `what's` spelled out. */
export function normaliseQuestion(message: string): string {
  return message
    .toLowerCase()
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/["`]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(LEAD, '')
    .replace(TAIL, '')
    .replace(/\bwhat's\b/g, 'what is')
    .replace(/\bwhat is (?=(?:your|the) )/, 'what are ')
    .trim();
}

/** True when the whole message asks what the assistant can do or read (not for a task). */
export function isCapabilityQuestion(message: string): boolean {
  if (message.length > 200) return false;
  const text = normaliseQuestion(message);
  if (!text) return message.trim() === '?';
  return PATTERNS.some((re) => re.test(text));
}

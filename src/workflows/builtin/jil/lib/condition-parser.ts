import type {
  JilCompareOp,
  JilConditionAtom,
  JilConditionNode,
  JilDependency,
  JilExitCodeAtom,
  JilStatus,
  JilStatusAtom,
  JilVariableRef,
} from './condition-schema.js';
import { JilConditionError } from './condition-error.js';

/** `String.prototype.charCodeAt` as a module-local constant, called as `charCodeAt.call(s, i)` (why: see lexer.ts). */
const charCodeAt: (this: string, index: number) => number = String.prototype.charCodeAt;

/**
 * Recursive-descent parser for AutoSys conditions.
 *
 * ```
 * or      := and  ( ('|' | OR)  and )*
 * and     := unary ( ('&' | AND) unary )*          AND binds tighter than OR
 * unary   := '(' or ')' | atom
 * atom    := status '(' ref [',' lookback] ')'                 s/success f/failure t/terminated d/done n/notrunning
 *          | ('e'|'exitcode') '(' ref [',' lookback] ')' op int
 *          | ('v'|'value') '(' ref ')' op literal
 * ref     := name ['^' instance]
 * lookback:= hours ['.' | ':' minutes]                        02.30 → 150 minutes; 0 → 0
 * op      := '=' | '!=' | '<' | '<=' | '>' | '>='
 * ```
 * Keywords and operators are case-insensitive; whitespace is allowed anywhere between tokens.
 */

const STATUS_WORDS = new Map<string, JilStatus | 'exitcode' | 'value'>([
  ['s', 'success'],
  ['success', 'success'],
  ['f', 'failure'],
  ['failure', 'failure'],
  ['t', 'terminated'],
  ['terminated', 'terminated'],
  ['d', 'done'],
  ['done', 'done'],
  ['n', 'notrunning'],
  ['notrunning', 'notrunning'],
  ['e', 'exitcode'],
  ['exitcode', 'exitcode'],
  ['v', 'value'],
  ['value', 'value'],
]);

/** Lower-case one-letter status words by char code (avoids a string per atom). */
const ONE_LETTER: (string | undefined)[] = [];
for (const w of ['s', 'f', 't', 'd', 'n', 'e', 'v']) ONE_LETTER[charCodeAt.call(w, 0)] = w;

function isWs(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 0xa0 || c === 11 || c === 12;
}
function isLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
/** Characters that end a job or variable name. */
function endsName(c: number): boolean {
  return isWs(c) || c === 40 || c === 41 || c === 44 || c === 94 || c === 38 || c === 124 || Number.isNaN(c);
}

class ConditionParser {
  private i = 0;
  constructor(private readonly s: string) {}

  parse(): JilConditionNode {
    this.ws();
    if (this.i >= this.s.length) this.fail('an atom such as s(JOB)');
    const node = this.parseOr();
    this.ws();
    if (this.i < this.s.length) {
      this.fail(["'&'", "'|'", "'and'", "'or'", 'end of condition']);
    }
    return node;
  }

  private parseOr(): JilConditionNode {
    const first = this.parseAnd();
    if (!this.operator(124, 'or')) return first;
    const operands: JilConditionNode[] = [];
    push(operands, first, 'or');
    do push(operands, this.parseAnd(), 'or');
    while (this.operator(124, 'or'));
    // slice(): an exact-size copy, not the push-grown backing store (100 000s of these stay alive)
    return { kind: 'or', operands: operands.slice() };
  }

  private parseAnd(): JilConditionNode {
    const first = this.parseUnary();
    if (!this.operator(38, 'and')) return first;
    const operands: JilConditionNode[] = [];
    push(operands, first, 'and');
    do push(operands, this.parseUnary(), 'and');
    while (this.operator(38, 'and'));
    return { kind: 'and', operands: operands.slice() };
  }

  /** Consumes the symbol `sym` (a char code) or the word `word` (any case, not followed by a name character). */
  private operator(sym: number, word: string): boolean {
    this.ws();
    const s = this.s;
    const i = this.i;
    if (charCodeAt.call(s, i) === sym) {
      this.i++;
      return true;
    }
    for (let k = 0; k < word.length; k++) {
      if ((charCodeAt.call(s, i + k) | 32) !== charCodeAt.call(word, k)) return false;
    }
    const after = charCodeAt.call(s, i + word.length);
    if (isLetter(after) || isDigit(after) || after === 95) return false;
    this.i = i + word.length;
    return true;
  }

  private parseUnary(): JilConditionNode {
    this.ws();
    if (charCodeAt.call(this.s, this.i) === 40 /* ( */) {
      this.i++;
      const inner = this.parseOr();
      this.ws();
      this.expectChar(41, "')'");
      return inner;
    }
    return this.parseAtom();
  }

  private parseAtom(): JilConditionAtom {
    const start = this.i;
    while (isLetter(charCodeAt.call(this.s, this.i))) this.i++;
    if (this.i === start) this.fail(["'('", 'a status such as s, f, t, d, n, e or v']);
    const len = this.i - start;
    const word = len === 1 ? ONE_LETTER[charCodeAt.call(this.s, start) | 32] : this.s.slice(start, this.i).toLowerCase();
    const fn = word === undefined ? undefined : STATUS_WORDS.get(word);
    if (fn === undefined) {
      this.i = start;
      this.fail('a status such as s, f, t, d, n, e or v', `'${this.s.slice(start, start + len)}'`);
    }
    this.ws();
    this.expectChar(40, "'('");
    this.ws();
    const name = this.name(fn === 'value' ? 'a variable name' : 'a job name');
    let instance: string | undefined;
    this.ws();
    if (charCodeAt.call(this.s, this.i) === 94 /* ^ */) {
      this.i++;
      const is = this.i;
      while (this.i < this.s.length && /[A-Za-z0-9_]/.test(this.s.charAt(this.i))) this.i++;
      if (this.i === is) this.fail('an instance name after ^');
      instance = this.s.slice(is, this.i);
      this.ws();
    }
    let lookbackMinutes: number | undefined;
    if (fn !== 'value' && charCodeAt.call(this.s, this.i) === 44 /* , */) {
      this.i++;
      this.ws();
      lookbackMinutes = this.lookback();
      this.ws();
    }
    this.expectChar(41, "')'");

    if (fn === 'exitcode') {
      const op = this.op();
      this.ws();
      const value = this.integer();
      const atom: JilExitCodeAtom = { kind: 'exitcode', job: name, op, value };
      return withOptional(atom, instance, lookbackMinutes);
    }
    if (fn === 'value') {
      const op = this.op();
      this.ws();
      const value = this.literal();
      const atom: JilConditionAtom = { kind: 'value', name, op, value };
      if (instance !== undefined) atom.instance = instance;
      return atom;
    }
    const atom: JilStatusAtom = { kind: 'status', status: fn, job: name };
    return withOptional(atom, instance, lookbackMinutes);
  }

  private name(what: string): string {
    const start = this.i;
    while (this.i < this.s.length && !endsName(charCodeAt.call(this.s, this.i))) this.i++;
    if (this.i === start) this.fail(what);
    return this.s.slice(start, this.i);
  }

  private lookback(): number {
    const start = this.i;
    while (isDigit(charCodeAt.call(this.s, this.i))) this.i++;
    if (this.i === start) this.fail('a lookback such as 02.30 or 0');
    const hours = Number(this.s.slice(start, this.i));
    let minutes = 0;
    const sep = charCodeAt.call(this.s, this.i);
    if (sep === 46 /* . */ || sep === 58 /* : */) {
      this.i++;
      const ms = this.i;
      while (isDigit(charCodeAt.call(this.s, this.i))) this.i++;
      if (this.i === ms || this.i - ms > 2) {
        this.i = ms;
        this.fail('one or two digits of minutes');
      }
      minutes = Number(this.s.slice(ms, this.i));
      if (minutes >= 60) {
        this.i = ms;
        this.fail('minutes below 60', `'${this.s.slice(ms, ms + 2)}'`);
      }
    }
    return hours * 60 + minutes;
  }

  private op(): JilCompareOp {
    this.ws();
    const c = charCodeAt.call(this.s, this.i);
    const next = charCodeAt.call(this.s, this.i + 1);
    if (c === 33 /* ! */ && next === 61) {
      this.i += 2;
      return '!=';
    }
    if (c === 60 /* < */ || c === 62 /* > */) {
      const lt = c === 60;
      if (next === 61) {
        this.i += 2;
        return lt ? '<=' : '>=';
      }
      this.i++;
      return lt ? '<' : '>';
    }
    if (c === 61 /* = */) {
      this.i++;
      return '=';
    }
    return this.fail(["'='", "'!='", "'<'", "'<='", "'>'", "'>='"]);
  }

  private integer(): number {
    const start = this.i;
    if (charCodeAt.call(this.s, this.i) === 45 /* - */ || charCodeAt.call(this.s, this.i) === 43 /* + */) this.i++;
    const ds = this.i;
    while (isDigit(charCodeAt.call(this.s, this.i))) this.i++;
    if (this.i === ds) {
      this.i = start;
      this.fail('an integer exit code');
    }
    return Number(this.s.slice(start, this.i));
  }

  private literal(): string {
    const s = this.s;
    const q = charCodeAt.call(s, this.i);
    if (q === 34 || q === 39) {
      let out = '';
      let k = this.i + 1;
      let from = k;
      while (k < s.length) {
        const c = charCodeAt.call(s, k);
        if (c === 92 && k + 1 < s.length) {
          out += s.slice(from, k);
          from = k + 1;
          k += 2;
          continue;
        }
        if (c === q) {
          out += s.slice(from, k);
          this.i = k + 1;
          return out;
        }
        k++;
      }
      this.fail(`a closing ${q === 34 ? '"' : "'"}`, 'end of condition', s.length);
    }
    const start = this.i;
    while (this.i < s.length) {
      const c = charCodeAt.call(s, this.i);
      if (isWs(c) || c === 41 || c === 38 || c === 124 || c === 40) break;
      this.i++;
    }
    if (this.i === start) this.fail('a value');
    return s.slice(start, this.i);
  }

  private expectChar(code: number, label: string): void {
    if (charCodeAt.call(this.s, this.i) !== code) this.fail(label);
    this.i++;
  }

  private ws(): void {
    while (this.i < this.s.length && isWs(charCodeAt.call(this.s, this.i))) this.i++;
  }

  private fail(expected: string | string[], found?: string, at?: number): never {
    const position = at ?? this.i;
    const exp = Array.isArray(expected) ? expected : [expected];
    const f = found ?? (position >= this.s.length ? 'end of condition' : `'${this.s.charAt(position)}'`);
    throw new JilConditionError(`condition: expected ${exp.join(' or ')} at position ${position}, found ${f}`, {
      text: this.s,
      position,
      expected: exp,
      found: f,
    });
  }
}

function push(into: JilConditionNode[], node: JilConditionNode, kind: 'and' | 'or'): void {
  if (node.kind === kind) into.push(...node.operands);
  else into.push(node);
}

function withOptional<T extends { instance?: string; lookbackMinutes?: number }>(
  atom: T,
  instance: string | undefined,
  lookbackMinutes: number | undefined,
): T {
  if (instance !== undefined) atom.instance = instance;
  if (lookbackMinutes !== undefined) atom.lookbackMinutes = lookbackMinutes;
  return atom;
}

/**
 * Parses an AutoSys condition into an AST.
 * @throws JilConditionError with the 0-based `position` of the problem.
 */
export function parseCondition(text: string): JilConditionNode {
  return new ConditionParser(text).parse();
}

/** Every atom of a condition, left to right. */
export function conditionAtoms(node: JilConditionNode, out: JilConditionAtom[] = []): JilConditionAtom[] {
  if (node.kind === 'and' || node.kind === 'or') {
    for (const o of node.operands) conditionAtoms(o, out);
  } else out.push(node);
  return out;
}

/** The job dependencies (status and exit-code atoms) and variable tests of a condition, left to right. */
export function conditionDependencies(node: JilConditionNode): { dependsOn: JilDependency[]; variables: JilVariableRef[] } {
  const dependsOn: JilDependency[] = [];
  const variables: JilVariableRef[] = [];
  collectDependencies(node, dependsOn, variables);
  // exact-size copies: push-grown arrays keep spare capacity, and one of these lives per job
  return { dependsOn: dependsOn.length > 0 ? dependsOn.slice() : dependsOn, variables: variables.length > 0 ? variables.slice() : variables };
}

function collectDependencies(node: JilConditionNode, dependsOn: JilDependency[], variables: JilVariableRef[]): void {
  if (node.kind === 'and' || node.kind === 'or') {
    for (const o of node.operands) collectDependencies(o, dependsOn, variables);
    return;
  }
  const a = node;
  if (a.kind === 'value') {
    const v: JilVariableRef = { name: a.name, op: a.op, value: a.value };
    if (a.instance !== undefined) v.instance = a.instance;
    variables.push(v);
    return;
  }
  const d: JilDependency =
    a.kind === 'status' ? { job: a.job, status: a.status } : { job: a.job, status: 'exitcode', op: a.op, value: a.value };
  if (a.instance !== undefined) d.instance = a.instance;
  if (a.lookbackMinutes !== undefined) d.lookbackMinutes = a.lookbackMinutes;
  dependsOn.push(d);
}

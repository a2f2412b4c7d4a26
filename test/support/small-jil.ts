/**
 * A small JIL with one of each kind of condition: B waits for A's success, C for B to end, ON_FAIL
 * for A's failure, AFTER_ANY for A to end; box BX waits for B and holds IN_BX; OTHER stands alone.
 */
export const SMALL_JIL = [
  'insert_job: A command: a',
  'insert_job: B command: b',
  'condition: s(A)',
  'insert_job: C command: c',
  'condition: d(B)',
  'insert_job: ON_FAIL command: f',
  'condition: f(A)',
  'insert_job: AFTER_ANY command: x',
  'condition: d(A)',
  'insert_job: BX job_type: BOX',
  'condition: s(B)',
  'insert_job: IN_BX command: i',
  'box_name: BX',
  'insert_job: OTHER command: o',
].join('\n');

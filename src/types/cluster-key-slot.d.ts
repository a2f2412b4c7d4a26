/** cluster-key-slot ships an ambient declaration that NodeNext resolution does not pick up. */
declare module 'cluster-key-slot' {
  /** The Redis Cluster hash slot (0-16383) of a key, honouring `{hash tags}`. */
  function calculate(value: string | Buffer): number;
  export = calculate;
}

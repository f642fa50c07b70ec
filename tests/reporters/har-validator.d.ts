/** har-validator 5 ships no types: the one function the tests call. */
declare module 'har-validator' {
  /** Resolves with the document when it is valid HAR 1.2; rejects with a HARError whose `errors` list what is not. */
  export function har(data: unknown): Promise<unknown>;
}

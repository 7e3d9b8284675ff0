/**
 * The shape the narration's two tables share (narration-messages.ts for lines,
 * narration-reasons.ts for the reasons inside them): an id → English formatter record, from which
 * a message's type — its id and the arguments that id's formatter takes — is derived.
 */

/** Turns a message's arguments into its English words. */
export type Formatter<A> = (args: A) => string;

/** What a table of formatters must be: `as const satisfies MessageTable`. */
export type MessageTable = Readonly<Record<string, Formatter<never>>>;

/** The arguments of the message `I` of `T` (an empty record for a formatter that takes none). */
export type TableArgs<T extends MessageTable, I extends keyof T> = Parameters<
  T[I]
>[0] extends undefined
  ? Readonly<Record<string, never>>
  : Readonly<Parameters<T[I]>[0]>;

/** Any one message of `T`: its id and its arguments, plain data. */
export type TableMessage<T extends MessageTable> = {
  readonly [I in keyof T]: { readonly id: I; readonly args: TableArgs<T, I> };
}[keyof T];

/** What the commands' options share. */

/**
 * Commander's parser for a repeatable option: each `--plugin FILE` adds one more to the list.
 *
 * @example
 * program.option('--plugin <file>', 'load a VSP plugin file (repeatable)', collect);
 */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/**
 * The environment for a test that spawns `hyperkata` and reads its words: the runner's own without
 * LC_ALL, LC_MESSAGES and LANG, which would pick the CLI's language (a pt_BR machine gets pt-BR).
 */
export function englishEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.LC_ALL;
  delete env.LC_MESSAGES;
  delete env.LANG;
  return env;
}

/**
 * Runs `body` with, among the variables `names`, only those of `values` set in `process.env`,
 * then restores every one of them as it was, whatever `body` did.
 *
 * @param names The variables the test controls: unset unless `values` sets them.
 * @param values The values to set.
 * @param body The test's code.
 * @returns What `body` returns.
 */
export async function withEnv<T>(names: readonly string[], values: Readonly<Record<string, string>>, body: () => Promise<T> | T): Promise<T> {
  const saved = Object.fromEntries([...names, ...Object.keys(values)].map((name) => [name, process.env[name]]));
  for (const name of names) delete process.env[name];
  Object.assign(process.env, values);
  try {
    return await body();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

/**
 * Container environments defined once: infra encodes typed values into ECS `environment`
 * entries, and the app decodes `process.env` with the same definition.
 */

export interface EnvVariable<T> {
  readonly name: string;
  /** Used when the variable is unset; a variable without one is required. */
  readonly defaultValue?: T;
  /** Returns the value or throws an Error whose message states the rule. */
  decode(raw: string): T;
  encode(value: T): string;
}

type Definition = Record<string, EnvVariable<unknown>>;
type ValueOf<V> = V extends EnvVariable<infer T> ? T : never;

/** What an app gets from `parse`: every variable, defaults applied. */
export type EnvValues<D extends Definition> = { [K in keyof D]: ValueOf<D[K]> };

/** What infra passes to `toContainerEnvironment`: variables with a default may be left out. */
export type EnvInput<D extends Definition> = {
  [K in keyof D as D[K] extends { defaultValue: unknown } ? never : K]: ValueOf<D[K]>;
} & { [K in keyof D]?: ValueOf<D[K]> };

export class EnvironmentError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid environment:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "EnvironmentError";
  }
}

export interface Environment<D extends Definition> {
  readonly variables: D;
  /** Every variable name, sorted. */
  readonly names: readonly string[];
  /** ECS container `environment` entries, sorted by name so task definitions are stable. */
  toContainerEnvironment(values: EnvInput<D>): { name: string; value: string }[];
  /** Decodes `process.env`; throws an `EnvironmentError` naming every missing or malformed variable. */
  parse(env: Readonly<Record<string, string | undefined>>): EnvValues<D>;
}

export function defineEnvironment<D extends Definition>(variables: D): Environment<D> {
  const entries = Object.entries(variables);
  const names = entries.map(([, variable]) => variable.name);
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate) throw new Error(`environment variable ${duplicate} is defined twice`);

  return {
    variables,
    names: [...names].sort(),
    toContainerEnvironment(values) {
      const input = values as Record<string, unknown>;
      return entries
        .filter(([key]) => input[key] !== undefined)
        .map(([key, variable]) => ({ name: variable.name, value: variable.encode(input[key]) }))
        .sort((a, b) => a.name.localeCompare(b.name));
    },
    parse(env) {
      const problems: string[] = [];
      const result: Record<string, unknown> = {};
      for (const [key, variable] of entries) {
        const raw = env[variable.name];
        if (raw === undefined || raw === "") {
          if ("defaultValue" in variable) result[key] = variable.defaultValue;
          else problems.push(`${variable.name}: is required`);
          continue;
        }
        try {
          result[key] = variable.decode(raw);
        } catch (error) {
          const shown = raw.length > 80 ? `${raw.slice(0, 80)}…` : raw;
          problems.push(`${variable.name}: ${(error as Error).message} (got ${JSON.stringify(shown)})`);
        }
      }
      if (problems.length > 0) throw new EnvironmentError(problems);
      return result as EnvValues<D>;
    },
  };
}

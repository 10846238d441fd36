import type { z } from "zod";
import type { EnvVariable } from "./environment.js";
import { isLoopbackUrl, LOOPBACK_RULE } from "./validators.js";

/** Builders for the variable kinds the apps use. */

export function withDefault<T>(
  variable: EnvVariable<T>,
  defaultValue: T,
): EnvVariable<T> & { readonly defaultValue: T } {
  return { ...variable, defaultValue };
}

export function stringVar(
  name: string,
  rule?: { pattern: RegExp; description: string },
): EnvVariable<string> {
  return {
    name,
    decode(raw) {
      if (rule && !rule.pattern.test(raw)) throw new Error(`must be ${rule.description}`);
      return raw;
    },
    encode: (value) => value,
  };
}

export function enumVar<const T extends string>(name: string, values: readonly T[]): EnvVariable<T> {
  return {
    name,
    decode(raw) {
      if (!(values as readonly string[]).includes(raw))
        throw new Error(`must be one of ${values.join(", ")}`);
      return raw as T;
    },
    encode: (value) => value,
  };
}

export function intVar(name: string, min: number, max: number): EnvVariable<number> {
  return {
    name,
    decode(raw) {
      const value = /^-?\d+$/.test(raw.trim()) ? Number(raw) : Number.NaN;
      if (!Number.isSafeInteger(value) || value < min || value > max) {
        throw new Error(`must be an integer between ${min} and ${max}`);
      }
      return value;
    },
    encode: (value) => String(value),
  };
}

/**
 * A URL of the given protocol (https by default). Plain http is accepted only for a loopback host
 * (a local emulator), so a deployed app never talks to AWS unencrypted.
 */
export function urlVar(name: string, protocol = "https:"): EnvVariable<string> {
  const kind = `an ${protocol.slice(0, -1)} URL`;
  return {
    name,
    decode(raw) {
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        throw new Error(`must be ${kind}`);
      }
      if (url.protocol === protocol) return raw;
      if (protocol === "https:" && url.protocol === "http:") {
        if (isLoopbackUrl(url)) return raw;
        throw new Error(`must be ${kind}; ${LOOPBACK_RULE}`);
      }
      throw new Error(`must be ${kind}`);
    },
    encode: (value) => value,
  };
}

/** A comma-separated list, each item checked by `item`. */
export function listVar(name: string, item: EnvVariable<string>): EnvVariable<string[]> {
  return {
    name,
    decode(raw) {
      const items = raw.split(",").map((part) => part.trim());
      if (items.some((part) => part === ""))
        throw new Error("must be a comma-separated list without empty items");
      return items.map((part, index) => {
        try {
          return item.decode(part);
        } catch (error) {
          throw new Error(`item ${index + 1}: ${(error as Error).message}`);
        }
      });
    },
    encode(value) {
      if (value.some((part) => part.includes(","))) throw new Error(`${name}: items must not contain commas`);
      return value.join(",");
    },
  };
}

/** A JSON document validated by a zod schema. */
export function jsonVar<T>(name: string, schema: z.ZodType<T>, description: string): EnvVariable<T> {
  return {
    name,
    decode(raw) {
      let value: unknown;
      try {
        value = JSON.parse(raw);
      } catch {
        throw new Error(`must be JSON: ${description}`);
      }
      const parsed = schema.safeParse(value);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const where = issue?.path.length ? `${issue.path.map(String).join(".")}: ` : "";
        throw new Error(`must be ${description}; ${where}${issue?.message ?? "invalid"}`);
      }
      return parsed.data;
    },
    encode: (value) => JSON.stringify(schema.parse(value)),
  };
}

import { parseStackConfig, type StackConfig } from "@icon-fanout/config";
import * as pulumi from "@pulumi/pulumi";

/**
 * Reads the stack's configuration as the Pulumi engine hands it to the program (every value a
 * string, objects and lists as JSON) and validates it. Scalars stay strings, so an account id
 * never turns into a number.
 */
export function readStackConfig(values: Record<string, string> = pulumi.runtime.allConfig()): StackConfig {
  const decoded: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    decoded[key] = /^\s*[[{]/.test(value) ? JSON.parse(value) : value;
  }
  return parseStackConfig(decoded);
}

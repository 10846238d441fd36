/** Fargate's allowed memory (MiB) for each task cpu (units of 1/1024 vCPU). */
const FARGATE_MEMORY_BY_CPU: Readonly<Record<number, readonly number[]>> = {
  256: [512, 1024, 2048],
  512: range(1024, 4096, 1024),
  1024: range(2048, 8192, 1024),
  2048: range(4096, 16384, 1024),
  4096: range(8192, 30720, 1024),
  8192: range(16384, 61440, 4096),
  16384: range(32768, 122880, 8192),
};

export const FARGATE_CPU_VALUES: readonly number[] = Object.keys(FARGATE_MEMORY_BY_CPU).map(Number);

/** The memory sizes Fargate accepts with `cpu`, or an empty list when `cpu` itself is not a Fargate size. */
export function fargateMemoryFor(cpu: number): readonly number[] {
  return FARGATE_MEMORY_BY_CPU[cpu] ?? [];
}

function range(from: number, to: number, step: number): number[] {
  const values: number[] = [];
  for (let value = from; value <= to; value += step) values.push(value);
  return values;
}

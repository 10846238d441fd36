#!/usr/bin/env node
/**
 * iconctl: daily work with an icon-fanout stack without the AWS console.
 *
 *   iconctl upload <files|dirs>... --stack prod [--wait]
 *   iconctl status --stack prod [--watch]
 *   iconctl dlq list|redrive --stack prod --size 16
 *   iconctl backfill --stack prod --size 128 [--dry-run]
 */
import { runIconctl } from "./program.js";

// `iconctl status | head` closes the pipe early: the reader has what it wanted, which is no failure.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") throw error;
  process.exit(process.exitCode ?? 0);
});
process.exitCode = await runIconctl(process.argv.slice(2));

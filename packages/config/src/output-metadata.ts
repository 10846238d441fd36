/** S3 user metadata the resizer writes on every output; iconctl reads it to match an output to its upload. */
export const OUTPUT_METADATA = {
  /** The ETag of the source the output was rendered from. */
  sourceEtag: "source-etag",
  /** The bucket that source was read from (its own, or a shadowed stack's). */
  sourceBucket: "source-bucket",
  /** The `RENDER_VERSION` of @icon-fanout/imaging that rendered the output, in decimal. */
  renderVersion: "render-version",
} as const;

/** S3 user metadata iconctl writes on the sources it uploads; the resizer carries it into results events. */
export const SOURCE_METADATA = {
  /** The upload's id (`x-amz-meta-upload-id`): the results topic's `upload-id` attribute, for one run's filter policy. */
  uploadId: "upload-id",
} as const;

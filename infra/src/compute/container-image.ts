import { fileURLToPath } from "node:url";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";

/** The repository root: the build context of every app image (see each app's Dockerfile.dockerignore). */
export const REPOSITORY_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

export interface ContainerImageArgs {
  /** The app under `apps/`, e.g. `resizer`; its Dockerfile is `apps/<app>/Dockerfile`. */
  app: string;
  /** Target platform, e.g. `linux/arm64` for Fargate on Graviton. */
  platform: "linux/arm64" | "linux/amd64";
  /** Images kept in the repository; older ones expire. */
  keepLast: number;
}

/**
 * An app image: an ECR repository that scans on push and keeps the last N images (awsx.ecr.Repository
 * with its lifecycle policy), and the image built from the repository root with the app's Dockerfile
 * and pushed there (awsx.ecr.Image).
 */
export class ContainerImage extends pulumi.ComponentResource {
  /** The repository the image is pushed to, which task execution roles may pull from. */
  readonly repositoryArn: pulumi.Output<string>;
  /** The pushed image by digest, for task definitions. */
  readonly imageUri: pulumi.Output<string>;

  constructor(name: string, args: ContainerImageArgs, opts?: pulumi.ComponentResourceOptions) {
    super("icon-fanout:compute:ContainerImage", name, {}, opts);
    const repository = new awsx.ecr.Repository(
      name,
      {
        imageScanningConfiguration: { scanOnPush: true },
        imageTagMutability: "MUTABLE",
        encryptionConfigurations: [{ encryptionType: "AES256" }],
        forceDelete: false,
        lifecyclePolicy: {
          rules: [
            {
              description: `keep the last ${args.keepLast} images`,
              tagStatus: awsx.types.enums.ecr.LifecycleTagStatus.Any,
              maximumNumberOfImages: args.keepLast,
            },
          ],
        },
      },
      { parent: this },
    );
    this.repositoryArn = repository.repository.arn;
    const image = new awsx.ecr.Image(
      name,
      {
        repositoryUrl: repository.url,
        context: REPOSITORY_ROOT,
        dockerfile: `${REPOSITORY_ROOT}apps/${args.app}/Dockerfile`,
        platform: args.platform,
      },
      { parent: this },
    );
    this.imageUri = image.imageUri;
    this.registerOutputs({ imageUri: this.imageUri, repositoryArn: this.repositoryArn });
  }
}

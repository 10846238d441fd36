import { fileURLToPath } from "node:url";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import { BUILD_TAG_PREFIX, buildTag } from "./build-context.js";

/** The repository root: the build context of every app image (see each app's Dockerfile.dockerignore). */
export const REPOSITORY_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

export interface ContainerImageArgs {
  /** The app under `apps/`, e.g. `resizer`; its Dockerfile is `apps/<app>/Dockerfile`. */
  app: string;
  /** Target platform, e.g. `linux/arm64` for Fargate on Graviton. */
  platform: "linux/arm64" | "linux/amd64";
  /** Builds kept in the repository (the newest by push time); older builds expire. At least 2. */
  keepLast: number;
}

/**
 * Keeps a build in ECR when awsx's image resource for it goes away. awsx names that resource
 * (docker-build's Image) after the tag, so each new build replaces the previous one, and deleting
 * it would delete the previous build's digest from ECR, the one a rollback returns to. Expiry is
 * the lifecycle policy's job. (A transform reaches the children of awsx's packaged components.)
 */
export const retainPushedBuilds: pulumi.ResourceTransform = ({ type, props, opts }) =>
  type === "docker-build:index:Image" ? { props, opts: { ...opts, retainOnDelete: true } } : undefined;

/** `<repository URL>@sha256:<digest>`: how a task definition must name its image (see ContainerImage). */
const PINNED_IMAGE = /^[^@\s]+@sha256:[0-9a-f]{64}$/;

/**
 * An app image: an ECR repository that scans on push and keeps the last N builds (awsx.ecr.Repository
 * with its lifecycle policy), and the image built from the repository root with the app's Dockerfile
 * and pushed there under a tag of its own, the digest of its build context (awsx.ecr.Image).
 *
 * Task definitions name the image by digest, which ECS keeps using for every task the deployment
 * starts later; so the lifecycle expires whole builds by their tag, oldest first, and never an
 * untagged image (a digest whose tag moved to a rebuild of the same sources): see
 * docs/architecture.md, "Images and rollbacks", for the number kept.
 */
export class ContainerImage extends pulumi.ComponentResource {
  /** The repository the image is pushed to, which task execution roles may pull from. */
  readonly repositoryArn: pulumi.Output<string>;
  /** The pushed image by digest, for task definitions. */
  readonly imageUri: pulumi.Output<string>;

  constructor(name: string, args: ContainerImageArgs, opts?: pulumi.ComponentResourceOptions) {
    super("icon-fanout:compute:ContainerImage", name, {}, opts);
    if (!Number.isInteger(args.keepLast) || args.keepLast < 2)
      throw new Error(
        `${name}: keepLast must be an integer of at least 2, the running build and the one a rollback returns to (got ${args.keepLast})`,
      );
    const dockerfile = `${REPOSITORY_ROOT}apps/${args.app}/Dockerfile`;
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
              description: `keep the last ${args.keepLast} builds`,
              tagStatus: awsx.types.enums.ecr.LifecycleTagStatus.Tagged,
              tagPrefixList: [BUILD_TAG_PREFIX],
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
        dockerfile,
        platform: args.platform,
        imageTag: buildTag(REPOSITORY_ROOT, dockerfile, args.platform),
      },
      { parent: this, transforms: [retainPushedBuilds] },
    );
    this.imageUri = image.imageUri.apply((uri) => {
      // awsx names the image by tag when it knows no digest; a tag would let ECS run another build.
      if (!PINNED_IMAGE.test(uri))
        throw new Error(
          `${name}: the pushed image must be named by digest, <repository>@sha256:<digest> (got ${uri})`,
        );
      return uri;
    });
    this.registerOutputs({ imageUri: this.imageUri, repositoryArn: this.repositoryArn });
  }
}

import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { checkAccount } from "./aws.js";

const sts = mockClient(STSClient);
afterEach(() => sts.reset());

describe("credentials", () => {
  const client = () =>
    new STSClient({ region: "eu-west-1", credentials: { accessKeyId: "a", secretAccessKey: "b" } });

  it("accept the stack's own account", async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: "222222222222" });
    await expect(checkAccount(client(), "prod", "222222222222")).resolves.toBeUndefined();
  });

  it("refuse another account, naming both", async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: "111111111111" });
    await expect(checkAccount(client(), "prod", "222222222222")).rejects.toThrow(
      "wrong account for stack prod: the credentials are for 111111111111, the stack lives in 222222222222",
    );
  });

  it("say how to get credentials when there are none", async () => {
    sts.on(GetCallerIdentityCommand).rejects(
      Object.assign(new Error("Could not load credentials from any providers"), {
        name: "CredentialsProviderError",
      }),
    );
    await expect(checkAccount(client(), "prod", "222222222222")).rejects.toThrow(
      /no AWS credentials found: set AWS_PROFILE/,
    );
  });
});

/** The policy pack Pulumi loads (through policy-pack.cjs): `pulumi preview --policy-pack packages/policy-pack`. */
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies.js";

new PolicyPack("icon-fanout", { policies, enforcementLevel: "mandatory" });

import { beforeAll, describe, expect, it } from "vitest";
import type { RecordedResource } from "../../tooling/synth/mock-engine.js";
import { type ProgramRun, runProgram, stackConfig } from "../../tooling/testing/program-runs.js";
import { ofType, only, stackRun } from "../../tooling/testing/stack-runs.js";

interface NetworkConfiguration {
  subnets: string[];
  securityGroups: string[];
  assignPublicIp: boolean;
}

const networkOf = (service: RecordedResource) => service.inputs.networkConfiguration as NetworkConfiguration;

/** The subnets and route tables associated under names containing `-<tier>-`. */
function tier(run: ProgramRun, name: "public" | "private") {
  const associations = ofType(run.resources, "aws:ec2/routeTableAssociation:RouteTableAssociation").filter(
    (association) => association.name.includes(`-${name}-`),
  );
  return {
    subnetIds: associations.map((association) => String(association.inputs.subnetId)).sort(),
    routeTableIds: [...new Set(associations.map((association) => String(association.inputs.routeTableId)))],
  };
}

describe("the network (public, the default)", () => {
  const prod = stackRun("prod");

  it("runs every task in the public subnets with a public IP, and has no NAT gateway", () => {
    const services = ofType(prod.resources, "aws:ecs/service:Service");
    expect(services).toHaveLength(3 + 1); // a resizer per default size and the publisher
    const publicSubnets = tier(prod, "public").subnetIds;
    expect(publicSubnets).toHaveLength(2); // one per default zone
    for (const service of services) {
      expect(networkOf(service).assignPublicIp, service.name).toBe(true);
      expect([...networkOf(service).subnets].sort(), service.name).toEqual(publicSubnets);
    }
    expect(ofType(prod.resources, "aws:ec2/natGateway:NatGateway")).toEqual([]);
  });

  it("carves a /20 per zone from the configured /16", () => {
    expect(only(prod.resources, "aws:ec2/vpc:Vpc").inputs.cidrBlock).toBe("10.42.0.0/16");
    expect(
      ofType(prod.resources, "aws:ec2/subnet:Subnet").map((subnet) => [
        subnet.inputs.availabilityZone,
        subnet.inputs.cidrBlock,
        subnet.inputs.mapPublicIpOnLaunch,
      ]),
    ).toEqual([
      ["eu-west-1a", "10.42.0.0/20", false],
      ["eu-west-1b", "10.42.16.0/20", false],
    ]);
  });

  it("lets tasks out on HTTPS only and in on nothing", () => {
    const group = only(prod.resources, "aws:ec2/securityGroup:SecurityGroup");
    expect(group.inputs.ingress ?? []).toEqual([]);
    expect(group.inputs.egress).toEqual([
      expect.objectContaining({ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }),
    ]);
  });

  it("routes S3 through a gateway endpoint on the tasks' route table", () => {
    const endpoint = only(prod.resources, "aws:ec2/vpcEndpoint:VpcEndpoint");
    expect(endpoint.inputs).toMatchObject({
      serviceName: "com.amazonaws.eu-west-1.s3",
      vpcEndpointType: "Gateway",
    });
    expect(endpoint.inputs.routeTableIds).toEqual(tier(prod, "public").routeTableIds);
  });
});

describe("the network (private)", () => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runProgram(stackConfig("prod", { "icon-fanout:network": { mode: "private" } }), "prod");
  });

  it("gives no task a public IP and runs every task in the private subnets", () => {
    const services = ofType(run.resources, "aws:ecs/service:Service");
    expect(services).toHaveLength(3 + 1);
    const privateSubnets = tier(run, "private").subnetIds;
    expect(privateSubnets).toHaveLength(2);
    for (const service of services) {
      expect(networkOf(service).assignPublicIp, service.name).toBe(false);
      expect([...networkOf(service).subnets].sort(), service.name).toEqual(privateSubnets);
    }
  });

  it("routes out through one NAT gateway in a public subnet", () => {
    const nat = only(run.resources, "aws:ec2/natGateway:NatGateway");
    expect(tier(run, "public").subnetIds).toContain(nat.inputs.subnetId);
    const privateRoutes = only(run.resources, "aws:ec2/routeTable:RouteTable", "-private");
    expect(privateRoutes.inputs.routes).toEqual([
      expect.objectContaining({ cidrBlock: "0.0.0.0/0", natGatewayId: expect.any(String) }),
    ]);
  });

  it("routes S3 through the gateway endpoint from both route tables", () => {
    const endpoint = only(run.resources, "aws:ec2/vpcEndpoint:VpcEndpoint");
    expect([...(endpoint.inputs.routeTableIds as string[])].sort()).toEqual(
      [...tier(run, "public").routeTableIds, ...tier(run, "private").routeTableIds].sort(),
    );
  });
});

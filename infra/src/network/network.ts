import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface NetworkArgs {
  /** `public` (default): public subnets, public IPs, no NAT. `private`: private subnets behind one NAT gateway. */
  mode: "public" | "private";
  /** The VPC's /16, e.g. `10.42.0.0/16`; subnets are /20s carved from it. */
  cidr: string;
  region: string;
  /** Zone letters, e.g. `["a", "b"]`. */
  zones: string[];
}

/**
 * Where the tasks run. Both modes route S3 through a free gateway endpoint; the security group
 * admits nothing and lets tasks out on HTTPS only (every AWS API they call).
 *
 * `public` costs nothing per hour: tasks get public IPs, but no ingress is possible. `private`
 * keeps tasks off the internet and pays for one NAT gateway (hourly plus per GB).
 */
export class Network extends pulumi.ComponentResource {
  readonly vpcId: pulumi.Output<string>;
  /** Subnets the tasks run in. */
  readonly taskSubnetIds: pulumi.Output<string>[];
  readonly securityGroupId: pulumi.Output<string>;
  readonly assignPublicIp: boolean;

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("icon-fanout:network:Network", name, {}, opts);
    const parent = { parent: this };
    const [first, second] = args.cidr.split(".");
    const subnetCidr = (index: number) => `${first}.${second}.${index * 16}.0/20`;

    const vpc = new aws.ec2.Vpc(
      name,
      { cidrBlock: args.cidr, enableDnsHostnames: true, enableDnsSupport: true },
      parent,
    );
    this.vpcId = vpc.id;
    const gateway = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id }, parent);
    const publicRoutes = new aws.ec2.RouteTable(
      `${name}-public`,
      { vpcId: vpc.id, routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: gateway.id }] },
      parent,
    );
    const publicSubnets = args.zones.map((zone, index) => {
      const subnet = new aws.ec2.Subnet(
        `${name}-public-${zone}`,
        {
          vpcId: vpc.id,
          cidrBlock: subnetCidr(index),
          availabilityZone: `${args.region}${zone}`,
          mapPublicIpOnLaunch: false,
        },
        parent,
      );
      new aws.ec2.RouteTableAssociation(
        `${name}-public-${zone}`,
        { subnetId: subnet.id, routeTableId: publicRoutes.id },
        parent,
      );
      return subnet;
    });

    const routeTables = [publicRoutes];
    let taskSubnets = publicSubnets;
    if (args.mode === "private") {
      const address = new aws.ec2.Eip(`${name}-nat`, { domain: "vpc" }, parent);
      const nat = new aws.ec2.NatGateway(
        `${name}-nat`,
        { allocationId: address.id, subnetId: publicSubnets[0]?.id ?? "" },
        { parent: this, dependsOn: [gateway] },
      );
      const privateRoutes = new aws.ec2.RouteTable(
        `${name}-private`,
        { vpcId: vpc.id, routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: nat.id }] },
        parent,
      );
      routeTables.push(privateRoutes);
      taskSubnets = args.zones.map((zone, index) => {
        const subnet = new aws.ec2.Subnet(
          `${name}-private-${zone}`,
          { vpcId: vpc.id, cidrBlock: subnetCidr(index + 8), availabilityZone: `${args.region}${zone}` },
          parent,
        );
        new aws.ec2.RouteTableAssociation(
          `${name}-private-${zone}`,
          { subnetId: subnet.id, routeTableId: privateRoutes.id },
          parent,
        );
        return subnet;
      });
    }

    new aws.ec2.VpcEndpoint(
      `${name}-s3`,
      {
        vpcId: vpc.id,
        serviceName: `com.amazonaws.${args.region}.s3`,
        vpcEndpointType: "Gateway",
        routeTableIds: routeTables.map((table) => table.id),
      },
      parent,
    );
    const tasks = new aws.ec2.SecurityGroup(
      `${name}-tasks`,
      {
        vpcId: vpc.id,
        description: "icon-fanout tasks: no ingress, HTTPS out to AWS APIs",
        egress: [
          {
            protocol: "tcp",
            fromPort: 443,
            toPort: 443,
            cidrBlocks: ["0.0.0.0/0"],
            description: "AWS APIs over TLS",
          },
        ],
      },
      parent,
    );
    this.securityGroupId = tasks.id;
    this.taskSubnetIds = taskSubnets.map((subnet) => subnet.id);
    this.assignPublicIp = args.mode === "public";
    this.registerOutputs({
      vpcId: this.vpcId,
      taskSubnetIds: this.taskSubnetIds,
      securityGroupId: this.securityGroupId,
    });
  }
}

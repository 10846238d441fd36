/** Message bodies in the exact shapes AWS delivers them (S3 event 2.1, SNS JSON envelope). */

const TOPIC_ARN = "arn:aws:sns:eu-west-1:222222222222:icon-fanout-prod-uploads";

export interface RecordInput {
  eventName: string;
  key: string;
  bucket?: string;
  size?: number;
  sequencer?: string;
}

export function s3Record({
  eventName,
  key,
  bucket = "icon-fanout-prod-icons",
  size,
  sequencer,
}: RecordInput) {
  const object: Record<string, unknown> = { key, sequencer: sequencer ?? "0055AED6DCD90281E5" };
  if (eventName.startsWith("ObjectCreated:")) {
    Object.assign(object, { size: size ?? 1024, eTag: "d41d8cd98f00b204e9800998ecf8427e" });
  }
  object.versionId = "096fKKXTRTtl3on89fVO.nfljtsv6qko";
  return {
    eventVersion: "2.1",
    eventSource: "aws:s3",
    awsRegion: "eu-west-1",
    eventTime: "2026-11-21T10:00:00.000Z",
    eventName,
    userIdentity: { principalId: "AWS:AIDAJDPLRKLG7UEXAMPLE" },
    requestParameters: { sourceIPAddress: "203.0.113.10" },
    responseElements: {
      "x-amz-request-id": "C3D13FE58DE4C810",
      "x-amz-id-2": "FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD",
    },
    s3: {
      s3SchemaVersion: "1.0",
      configurationId: "icons-created",
      bucket: {
        name: bucket,
        ownerIdentity: { principalId: "A3NL1KOZZKExample" },
        arn: `arn:aws:s3:::${bucket}`,
      },
      object,
    },
  };
}

export function s3Event(...records: RecordInput[]): string {
  return JSON.stringify({ Records: records.map(s3Record) });
}

export const s3TestEvent = JSON.stringify({
  Service: "Amazon S3",
  Event: "s3:TestEvent",
  Time: "2026-11-21T10:00:00.000Z",
  Bucket: "icon-fanout-prod-icons",
  RequestId: "5582815E1AEA5ADF",
  HostId: "8cLeGAmw098X5cv4Zkwcmo8vvZa3eH3eKxsPzbB9wrR+YstdA6Knx4Ip8EXAMPLE",
});

/** The JSON envelope SNS wraps around a message when raw message delivery is off. */
export function snsEnvelope(message: string, type = "Notification"): string {
  const envelope: Record<string, unknown> = {
    Type: type,
    MessageId: "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324",
    TopicArn: TOPIC_ARN,
    Subject: "Amazon S3 Notification",
    Message: message,
    Timestamp: "2026-11-21T10:00:00.123Z",
    SignatureVersion: "1",
    Signature:
      "EXAMPLEpH+DcEwjAPg8O9mY8dReBSwksfg2S7WKQcikcNKWLQjwu6A4VbeS0QHVCkhRS7fUQvi2egU3N858fiTDN6bkkOxYDVrY0Ad8L10Hs3zH81mtnPk5uvvolIC1CXGu43obcgFxeL3khZl8IKvO61GWB6jI9b5+gLPoBc1Q=",
    SigningCertURL:
      "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-0000000000000000000000.pem",
    UnsubscribeURL: `https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${TOPIC_ARN}:a1b2`,
  };
  if (type !== "Notification") {
    delete envelope.Subject;
    Object.assign(envelope, {
      Token:
        "2336412f37fb687f5d51e6e241d09c805a5a57b30d712f794cc5f6a988666d92768dd60a747ba6f3beb71854e285d6ad02428b09ceece29417f1f02d609c582afbacc99c583a916b9981dd2728f4ae6fdb82efd087cc3b7849e05798d2d2785c03b0879594eeac82c01f235d0e717736",
      SubscribeURL: `https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=${TOPIC_ARN}&Token=2336412f37`,
      Message: `You have chosen to ${type === "SubscriptionConfirmation" ? "subscribe to" : "deactivate subscription"} the topic ${TOPIC_ARN}.`,
    });
  }
  return JSON.stringify(envelope);
}

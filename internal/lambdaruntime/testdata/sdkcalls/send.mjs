// Sends the event's message to the event's queue through the AWS SDK for JavaScript v3 that
// Node runtimes bundle, with no endpoint or credentials in code: AWS_ENDPOINT_URL and the
// function's credentials point it at Fogbank.
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';

const sqs = new SQSClient({});

export const handler = async (event) => {
  const out = await sqs.send(new SendMessageCommand({ QueueUrl: event.queueUrl, MessageBody: event.body }));
  return { messageId: out.MessageId };
};

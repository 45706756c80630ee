import { SQSClient } from '@aws-sdk/client-sqs';
import { helper } from './lib/helper.mjs';

export const handler = async (event, context) => ({
  esm: true, sdk: typeof SQSClient, helper: helper(), requestId: context.awsRequestId,
});

import { describe, expect, it } from '@jest/globals';
import { sdkClientsOf, sdkFloorSource } from '../../../bench/coldstart/sdk-floor.ts';

describe('sdkClientsOf', () => {
  it('names each @aws-sdk/client-* package of the inputs with its client class and bundled commands', () => {
    const inputs = [
      'node_modules/@aws-sdk/client-s3/dist-es/S3Client.js',
      'node_modules/@aws-sdk/client-s3/dist-es/commands/PutObjectCommand.js',
      'node_modules/@aws-sdk/client-s3/dist-es/commands/GetObjectCommand.js',
      'node_modules/@aws-sdk/client-s3/dist-es/schemas/schemas_0.js',
      'node_modules/@aws-sdk/client-eks/dist-es/EKSClient.js',
      'node_modules/@smithy/smithy-client/dist-es/client.js',
      'node_modules/@aws-sdk/core/dist-es/index.js',
      'shared/aws/client-factory.ts',
    ];

    expect(sdkClientsOf(inputs)).toEqual([
      { package: '@aws-sdk/client-eks', client: 'EKSClient', commands: [] },
      { package: '@aws-sdk/client-s3', client: 'S3Client', commands: ['GetObjectCommand', 'PutObjectCommand'] },
    ]);
  });

  it('leaves out a client package whose client class the bundle does not hold (only its errors or types)', () => {
    expect(sdkClientsOf(['node_modules/@aws-sdk/client-sfn/dist-es/models/errors.js'])).toEqual([]);
  });

  it('counts a nested copy of a client package as that package', () => {
    expect(sdkClientsOf(['node_modules/@aws-sdk/credential-providers/node_modules/@aws-sdk/client-sts/dist-es/STSClient.js'])).toEqual([
      { package: '@aws-sdk/client-sts', client: 'STSClient', commands: [] },
    ]);
  });
});

describe('sdkFloorSource', () => {
  it('imports every client class (not its commands), constructs each once and exports the handler', () => {
    const source = sdkFloorSource([
      { package: '@aws-sdk/client-eks', client: 'EKSClient', commands: ['DescribeClusterCommand'] },
      { package: '@aws-sdk/client-s3', client: 'S3Client', commands: [] },
    ]);

    expect(source).toContain("import { EKSClient } from '@aws-sdk/client-eks';");
    expect(source).toContain("import { S3Client } from '@aws-sdk/client-s3';");
    expect(source).toContain('export const clients = [new EKSClient(config), new S3Client(config)];');
    expect(source).not.toContain('DescribeClusterCommand');
    expect(source).toContain("retryMode: 'adaptive', maxAttempts: 8");
    expect(source).toMatch(/export const handler = async/);
  });
});

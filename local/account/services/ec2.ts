import {
  type CreateTagsCommandInput,
  type DeleteTagsCommandInput,
  type DescribeInstancesCommandInput,
  type DescribeInstancesCommandOutput,
  type DescribeNetworkInterfacesCommandInput,
  type DescribeNetworkInterfacesCommandOutput,
  type DescribeVolumesCommandInput,
  type DescribeVolumesCommandOutput,
  EC2ServiceException,
  type Filter,
  type Tag,
} from '@aws-sdk/client-ec2';
import type { AccountRegion, CallContext, SandboxService, ServiceOutput } from '../account.ts';
import { MAX_TAGS_PER_RESOURCE } from './tag-rules.ts';

export interface Ec2InstanceRecord {
  id: string;
  tags: Map<string, string>;
  /** InstanceMetadataTags: enabled makes EC2 refuse tag keys with `/` on this instance. */
  metadataTags: boolean;
  state: 'pending' | 'running' | 'stopping' | 'stopped' | 'shutting-down' | 'terminated';
  availabilityZone: string;
  volumeIds: string[];
  networkInterfaceIds: string[];
  /** The AMI it was launched from. */
  imageId: string;
}

export interface Ec2AttachedRecord {
  id: string;
  kind: 'volume' | 'network-interface';
  tags: Map<string, string>;
  instanceId: string | undefined;
  availabilityZone: string;
}

export interface InstanceSeed {
  tags?: Record<string, string>;
  metadataTags?: boolean;
  availabilityZone?: string;
  volumes?: Record<string, string>[];
  networkInterfaces?: Record<string, string>[];
  imageId?: string;
}

interface RegionStore {
  instances: Map<string, Ec2InstanceRecord>;
  attached: Map<string, Ec2AttachedRecord>;
}

// EC2 API Reference: CreateTags/DeleteTags "Up to 1000 resource IDs"; DescribeInstances MaxResults 5-1000
// (and not together with InstanceIds); DescribeVolumes 5-500; DescribeNetworkInterfaces 5-1000.
const MAX_TAG_RESOURCES = 1000;
const MUTATING = new Set(['CreateTagsCommand', 'DeleteTagsCommand']);

export const ec2Error = (name: string, message: string) => new EC2ServiceException({ name, $fault: 'client', message, $metadata: {} });

/**
 * Amazon EC2 in the in-memory account: instances (with tags and metadata options), EBS volumes and ENIs,
 * the Describe calls with their filters and paging, and CreateTags/DeleteTags with AWS's rules. EC2 has no
 * modelled exception classes: errors are EC2ServiceException with the documented code as `name`.
 */
export class SandboxEc2 implements SandboxService {
  readonly clientName = 'EC2Client';
  readonly label = 'ec2';
  readonly #regions = new Map<string, RegionStore>();
  #counter = 0;
  #throttleEvery = 0;
  #mutatingCalls = 0;

  /** The first mutating call and every `every`-th after it fail with RequestLimitExceeded before changing anything (0: never). */
  throttleMutating(every: number): void {
    this.#throttleEvery = every;
    this.#mutatingCalls = 0;
  }

  readonly commands = {
    DescribeInstancesCommand: (input: DescribeInstancesCommandInput, ctx: CallContext): ServiceOutput<DescribeInstancesCommandOutput> => {
      if (input.MaxResults !== undefined && input.InstanceIds?.length) throw ec2Error('InvalidParameterCombination', 'The parameter instancesSet cannot be used with the parameter maxResults');
      const store = this.#store(ctx);
      let instances = [...store.instances.values()];
      if (input.InstanceIds?.length) {
        const missing = input.InstanceIds.filter((id) => !store.instances.has(id));
        if (missing.length > 0) throw notFound(missing);
        instances = instances.filter((instance) => input.InstanceIds?.includes(instance.id));
      }
      instances = instances.filter((instance) => matchesFilters(input.Filters, (name) => instanceField(instance, name)));
      const page = paginate(instances, input.NextToken, input.MaxResults, 5, 1000);
      return {
        Reservations: page.items.map((instance) => ({
          ReservationId: `r-${instance.id.slice(2)}`,
          Instances: [
            {
              InstanceId: instance.id,
              ImageId: instance.imageId,
              State: { Name: instance.state },
              Placement: { AvailabilityZone: instance.availabilityZone },
              Tags: tagList(instance.tags),
              MetadataOptions: { InstanceMetadataTags: instance.metadataTags ? 'enabled' : 'disabled' },
              BlockDeviceMappings: instance.volumeIds.map((id, index) => ({ DeviceName: `/dev/xvd${String.fromCharCode(97 + index)}`, Ebs: { VolumeId: id } })),
              NetworkInterfaces: instance.networkInterfaceIds.map((id) => ({ NetworkInterfaceId: id })),
            },
          ],
        })),
        ...(page.next ? { NextToken: page.next } : {}),
      };
    },
    DescribeVolumesCommand: (input: DescribeVolumesCommandInput, ctx: CallContext): ServiceOutput<DescribeVolumesCommandOutput> => {
      const volumes = [...this.#store(ctx).attached.values()].filter((record) => record.kind === 'volume' && (!input.VolumeIds?.length || input.VolumeIds.includes(record.id)));
      const page = paginate(volumes.filter((volume) => matchesFilters(input.Filters, (name) => attachedField(volume, name))), input.NextToken, input.MaxResults, 5, 500);
      return {
        Volumes: page.items.map((volume) => ({ VolumeId: volume.id, AvailabilityZone: volume.availabilityZone, Tags: tagList(volume.tags), Attachments: volume.instanceId ? [{ InstanceId: volume.instanceId, VolumeId: volume.id, State: 'attached' }] : [] })),
        ...(page.next ? { NextToken: page.next } : {}),
      };
    },
    DescribeNetworkInterfacesCommand: (input: DescribeNetworkInterfacesCommandInput, ctx: CallContext): ServiceOutput<DescribeNetworkInterfacesCommandOutput> => {
      const enis = [...this.#store(ctx).attached.values()].filter((record) => record.kind === 'network-interface' && (!input.NetworkInterfaceIds?.length || input.NetworkInterfaceIds.includes(record.id)));
      const page = paginate(enis.filter((eni) => matchesFilters(input.Filters, (name) => attachedField(eni, name))), input.NextToken, input.MaxResults, 5, 1000);
      return {
        NetworkInterfaces: page.items.map((eni) => ({ NetworkInterfaceId: eni.id, AvailabilityZone: eni.availabilityZone, TagSet: tagList(eni.tags), ...(eni.instanceId ? { Attachment: { InstanceId: eni.instanceId, Status: 'attached' } } : {}) })),
        ...(page.next ? { NextToken: page.next } : {}),
      };
    },
    CreateTagsCommand: (input: CreateTagsCommandInput, ctx: CallContext): ServiceOutput<Record<string, never>> => {
      this.#maybeThrottle('CreateTagsCommand');
      const resources = this.#resolve(ctx, input.Resources);
      const tags = Object.fromEntries((input.Tags ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? '']));
      if (Object.keys(tags).length === 0) throw ec2Error('MissingParameter', 'The request must contain the parameter Tag');
      // Validate every resource before changing any: a refused call changes nothing.
      for (const resource of resources) validateEc2Tags(resource, tags);
      for (const resource of resources) for (const [key, value] of Object.entries(tags)) resource.tags.set(key, value);
      ctx.changed({ service: 'ec2', action: 'CreateTags', resource: summarize(input.Resources ?? []), detail: Object.keys(tags).join(', ') });
      return {};
    },
    DeleteTagsCommand: (input: DeleteTagsCommandInput, ctx: CallContext): ServiceOutput<Record<string, never>> => {
      this.#maybeThrottle('DeleteTagsCommand');
      const resources = this.#resolve(ctx, input.Resources);
      for (const resource of resources) {
        // DeleteTags without Tags deletes every user tag of the resource (EC2 API Reference).
        if (input.Tags === undefined) {
          for (const key of [...resource.tags.keys()]) if (!key.toLowerCase().startsWith('aws:')) resource.tags.delete(key);
          continue;
        }
        for (const tag of input.Tags) {
          if (tag.Key?.toLowerCase().startsWith('aws:')) throw ec2Error('InvalidParameterValue', `Tag keys starting with 'aws:' are reserved for internal use: ${tag.Key}`);
          if (tag.Value === undefined || resource.tags.get(tag.Key ?? '') === tag.Value) resource.tags.delete(tag.Key ?? '');
        }
      }
      ctx.changed({ service: 'ec2', action: 'DeleteTags', resource: summarize(input.Resources ?? []), detail: input.Tags ? input.Tags.map((tag) => tag.Key).join(', ') : 'ALL TAGS' });
      return {};
    },
  };

  seedInstance(target: AccountRegion, seed: InstanceSeed = {}): Ec2InstanceRecord {
    const store = this.#storeOf(target);
    const id = this.#nextId('i');
    const availabilityZone = seed.availabilityZone ?? `${target.region}a`;
    const attach = (kind: Ec2AttachedRecord['kind'], prefix: string, tags: Record<string, string>) => {
      const record: Ec2AttachedRecord = { id: this.#nextId(prefix), kind, tags: new Map(Object.entries(tags)), instanceId: id, availabilityZone };
      store.attached.set(record.id, record);
      return record.id;
    };
    const instance: Ec2InstanceRecord = {
      id,
      tags: new Map(Object.entries(seed.tags ?? {})),
      metadataTags: seed.metadataTags ?? false,
      state: 'running',
      availabilityZone,
      volumeIds: (seed.volumes ?? [{}]).map((tags) => attach('volume', 'vol', tags)),
      networkInterfaceIds: (seed.networkInterfaces ?? [{}]).map((tags) => attach('network-interface', 'eni', tags)),
      imageId: seed.imageId ?? 'ami-0sandbox00000000',
    };
    store.instances.set(id, instance);
    return instance;
  }

  /** The instance is gone at once, with the volumes (DeleteOnTermination) and ENIs it owned. */
  terminate(target: AccountRegion, instanceId: string): void {
    const store = this.#storeOf(target);
    const instance = store.instances.get(instanceId);
    if (!instance) return;
    for (const id of [...instance.volumeIds, ...instance.networkInterfaceIds]) store.attached.delete(id);
    store.instances.delete(instanceId);
  }

  instance(target: AccountRegion, id: string): Ec2InstanceRecord | undefined {
    return this.#storeOf(target).instances.get(id);
  }

  /** Tags of any instance, volume or ENI, as a plain object (tests assert on them). */
  tagsOf(target: AccountRegion, id: string): Record<string, string> | undefined {
    const store = this.#storeOf(target);
    const record = store.instances.get(id) ?? store.attached.get(id);
    return record ? Object.fromEntries(record.tags) : undefined;
  }

  instances(target: AccountRegion): Ec2InstanceRecord[] {
    return [...this.#storeOf(target).instances.values()];
  }

  attachmentsOf(target: AccountRegion, instanceId: string): Ec2AttachedRecord[] {
    return [...this.#storeOf(target).attached.values()].filter((record) => record.instanceId === instanceId);
  }

  #maybeThrottle(command: string): void {
    if (!MUTATING.has(command) || this.#throttleEvery <= 0) return;
    this.#mutatingCalls += 1;
    if ((this.#mutatingCalls - 1) % this.#throttleEvery === 0) throw ec2Error('RequestLimitExceeded', 'Request limit exceeded.');
  }

  #resolve(ctx: CallContext, ids: string[] | undefined): (Ec2InstanceRecord | Ec2AttachedRecord)[] {
    if (!ids || ids.length === 0) throw ec2Error('MissingParameter', 'The request must contain the parameter ResourceId');
    if (ids.length > MAX_TAG_RESOURCES) throw ec2Error('InvalidParameterValue', `Too many resource IDs: ${ids.length} (at most ${MAX_TAG_RESOURCES})`);
    const store = this.#store(ctx);
    const missing = ids.filter((id) => !store.instances.has(id) && !store.attached.has(id));
    if (missing.length > 0) throw notFound(missing);
    return ids.map((id) => (store.instances.get(id) ?? store.attached.get(id)) as Ec2InstanceRecord | Ec2AttachedRecord);
  }

  #nextId(prefix: string): string {
    this.#counter += 1;
    return `${prefix}-${this.#counter.toString(16).padStart(17, '0')}`;
  }

  #store(ctx: CallContext): RegionStore {
    return this.#storeOf(ctx);
  }

  #storeOf(target: AccountRegion): RegionStore {
    const key = `${target.accountId}/${target.region}`;
    let store = this.#regions.get(key);
    if (!store) {
      store = { instances: new Map(), attached: new Map() };
      this.#regions.set(key, store);
    }
    return store;
  }
}

function validateEc2Tags(resource: Ec2InstanceRecord | Ec2AttachedRecord, tags: Record<string, string>): void {
  for (const [key, value] of Object.entries(tags)) {
    if (key.length < 1 || key.length > 128) throw ec2Error('InvalidParameterValue', `Tag key must be 1-128 characters: ${key}`);
    if (value.length > 256) throw ec2Error('InvalidParameterValue', `Tag value for ${key} must be at most 256 characters`);
    if (key.toLowerCase().startsWith('aws:')) throw ec2Error('InvalidParameterValue', `Tag keys starting with 'aws:' are reserved for internal use: ${key}`);
    // Instance metadata exposes tags as paths: with InstanceMetadataTags enabled, keys may not contain "/".
    if ('metadataTags' in resource && resource.metadataTags && key.includes('/')) throw ec2Error('InvalidParameterValue', `Tag key ${key} contains '/', which is not allowed when instance metadata tags are enabled`);
  }
  const userKeys = new Set([...resource.tags.keys(), ...Object.keys(tags)].filter((key) => !key.toLowerCase().startsWith('aws:')));
  if (userKeys.size > MAX_TAGS_PER_RESOURCE) throw ec2Error('TagLimitExceeded', `The maximum number of tags per resource (${MAX_TAGS_PER_RESOURCE}) would be exceeded for ${resource.id}`);
}

function notFound(ids: string[]): EC2ServiceException {
  const first = ids[0] ?? '';
  const list = ids.map((id) => `'${id}'`).join(', ');
  if (first.startsWith('vol-')) return ec2Error('InvalidVolume.NotFound', `The volume ${list} does not exist.`);
  if (first.startsWith('eni-')) return ec2Error('InvalidNetworkInterfaceID.NotFound', `The networkInterface ID ${list} does not exist`);
  return ec2Error('InvalidInstanceID.NotFound', ids.length === 1 ? `The instance ID ${list} does not exist` : `The instance IDs ${list} do not exist`);
}

function instanceField(instance: Ec2InstanceRecord, name: string): string[] | undefined {
  if (name === 'instance-id') return [instance.id];
  if (name === 'instance-state-name') return [instance.state];
  if (name === 'availability-zone') return [instance.availabilityZone];
  if (name === 'image-id') return [instance.imageId];
  return tagField(instance.tags, name);
}

function attachedField(record: Ec2AttachedRecord, name: string): string[] | undefined {
  if (name === 'attachment.instance-id') return record.instanceId ? [record.instanceId] : [];
  if (name === 'volume-id' || name === 'network-interface-id') return [record.id];
  if (name === 'availability-zone') return [record.availabilityZone];
  return tagField(record.tags, name);
}

function tagField(tags: Map<string, string>, name: string): string[] | undefined {
  if (name === 'tag-key') return [...tags.keys()];
  if (name === 'tag-value') return [...tags.values()];
  if (name.startsWith('tag:')) {
    const value = tags.get(name.slice(4));
    return value === undefined ? [] : [value];
  }
  return undefined;
}

// EC2 filters: values of one filter are ORed, filters are ANDed; `*` and `?` are wildcards. Compiled once
// per request: a fleet of thousands of instances is filtered on every Describe call.
type CompiledFilter = { name: string; exact: Set<string>; patterns: RegExp[] };
const compiledFilters = new WeakMap<Filter[], CompiledFilter[]>();

function compileFilters(filters: Filter[]): CompiledFilter[] {
  let compiled = compiledFilters.get(filters);
  if (!compiled) {
    compiled = filters.map((filter) => {
      if ((filter.Values?.length ?? 0) > 200) throw ec2Error('InvalidParameterValue', `The filter '${filter.Name}' has more than 200 values`);
      const values = filter.Values ?? [];
      const wild = values.filter((value) => /[*?]/.test(value));
      return {
        name: filter.Name ?? '',
        exact: new Set(values.filter((value) => !/[*?]/.test(value))),
        patterns: wild.map((value) => new RegExp(`^${value.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`)),
      };
    });
    compiledFilters.set(filters, compiled);
  }
  return compiled;
}

export function matchesFilters(filters: Filter[] | undefined, field: (name: string) => string[] | undefined): boolean {
  if (!filters) return true;
  for (const filter of compileFilters(filters)) {
    const actual = field(filter.name);
    if (actual === undefined) throw ec2Error('InvalidParameterValue', `The filter '${filter.name}' is invalid`);
    if (!actual.some((value) => filter.exact.has(value) || filter.patterns.some((pattern) => pattern.test(value)))) return false;
  }
  return true;
}

export function paginate<T>(items: T[], token: string | undefined, maxResults: number | undefined, min: number, max: number): { items: T[]; next?: string } {
  if (maxResults !== undefined && (maxResults < min || maxResults > max)) throw ec2Error('InvalidParameterValue', `Value (${maxResults}) for parameter maxResults is invalid. Expecting a value between ${min} and ${max}.`);
  const start = token ? Number(Buffer.from(token, 'base64url').toString()) : 0;
  if (!Number.isInteger(start) || start < 0) throw ec2Error('InvalidParameterValue', 'Invalid NextToken');
  if (maxResults === undefined) return { items: items.slice(start) };
  const end = start + maxResults;
  return { items: items.slice(start, end), ...(end < items.length ? { next: Buffer.from(String(end)).toString('base64url') } : {}) };
}

function tagList(tags: Map<string, string>): Tag[] {
  return [...tags].map(([Key, Value]) => ({ Key, Value }));
}

function summarize(ids: string[]): string {
  return ids.length === 1 ? (ids[0] ?? '') : `${ids[0] ?? ''} and ${ids.length - 1} more`;
}

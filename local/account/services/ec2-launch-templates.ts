import { createHash } from 'node:crypto';
import type {
  CreateLaunchTemplateVersionCommandInput,
  CreateLaunchTemplateVersionCommandOutput,
  DescribeImagesCommandInput,
  DescribeImagesCommandOutput,
  DescribeLaunchTemplateVersionsCommandInput,
  DescribeLaunchTemplateVersionsCommandOutput,
  Image,
  LaunchTemplateVersion,
  ResponseLaunchTemplateData,
} from '@aws-sdk/client-ec2';
import type { AccountRegion, CallContext, SandboxAccount, SandboxService, ServiceOutput } from '../account.ts';
import { type LaunchTemplateResolver, type ResolvedLaunchTemplate, SandboxAutoScaling } from './autoscaling.ts';
import { ec2Error, matchesFilters, paginate } from './ec2.ts';
import { EKS_AMI_OWNER, eksAmiParameter, eksPublicImages, imageIdFor } from './eks-amis.ts';
import { SandboxSsm } from './ssm.ts';

interface ImageRecord {
  id: string;
  name: string;
  architecture: 'x86_64' | 'arm64';
  ownerId: string;
  ownerAlias?: string;
}

interface TemplateRecord {
  id: string;
  name: string;
  defaultVersion: number;
  versions: Map<number, LaunchTemplateVersion>;
  /** ClientToken → the version it created and a fingerprint of the request (EC2 idempotency). */
  tokens: Map<string, { version: number; fingerprint: string }>;
}

/**
 * EC2 AMIs and launch templates in the in-memory account: DescribeImages (the account's own AMIs and AWS's public
 * EKS-optimized ones), DescribeLaunchTemplateVersions ($Latest / $Default resolved) and CreateLaunchTemplateVersion
 * (SourceVersion inheritance; ClientToken idempotency: a repeated token with the same request returns the version
 * it created, with another request IdempotentParameterMismatch). It resolves templates for Auto Scaling launches and
 * publishes the public EKS AMI parameters in SSM. A part of the EC2 client: instances and tags are another part's.
 */
export class SandboxEc2LaunchTemplates implements SandboxService {
  readonly clientName = 'EC2Client';
  readonly label = 'ec2';
  readonly #images = new Map<string, ImageRecord>();
  readonly #templates = new Map<string, TemplateRecord>();
  readonly #account: SandboxAccount;
  #counter = 0;

  constructor(account: SandboxAccount) {
    this.#account = account;
    const resolver: LaunchTemplateResolver = { resolve: (target, spec) => this.resolve(target, spec) };
    account.service(SandboxAutoScaling).useLaunchTemplates(resolver, account.clock);
    account.service(SandboxSsm).addPublicParameters(eksAmiParameter);
  }

  readonly commands = {
    DescribeImagesCommand: (input: DescribeImagesCommandInput, ctx: CallContext): ServiceOutput<DescribeImagesCommandOutput> => {
      let images = this.#visibleImages(ctx);
      if (input.ImageIds?.length) {
        const missing = input.ImageIds.filter((id) => !images.some((image) => image.id === id));
        if (missing.length > 0) throw ec2Error('InvalidAMIID.NotFound', `The image id '[${missing.join(', ')}]' does not exist`);
        images = images.filter((image) => input.ImageIds?.includes(image.id));
      }
      if (input.Owners?.length) images = images.filter((image) => input.Owners?.some((owner) => owner === image.ownerId || owner === image.ownerAlias || (owner === 'self' && image.ownerId === ctx.accountId)));
      images = images.filter((image) => matchesFilters(input.Filters, (name) => imageField(image, name)));
      const page = paginate(images, input.NextToken, input.MaxResults, 5, 1000);
      return { Images: page.items.map(imageOf), ...(page.next ? { NextToken: page.next } : {}) };
    },
    DescribeLaunchTemplateVersionsCommand: (input: DescribeLaunchTemplateVersionsCommandInput, ctx: CallContext): ServiceOutput<DescribeLaunchTemplateVersionsCommandOutput> => {
      const template = this.#find(ctx, { id: input.LaunchTemplateId, name: input.LaunchTemplateName });
      const numbers = input.Versions?.length ? input.Versions.map((version) => this.#versionNumber(template, version)) : [...template.versions.keys()];
      const page = paginate(numbers, input.NextToken, input.MaxResults, 1, 200);
      return { LaunchTemplateVersions: page.items.map((number) => this.#describeVersion(template, number)), ...(page.next ? { NextToken: page.next } : {}) };
    },
    CreateLaunchTemplateVersionCommand: (input: CreateLaunchTemplateVersionCommandInput, ctx: CallContext): ServiceOutput<CreateLaunchTemplateVersionCommandOutput> => {
      const template = this.#find(ctx, { id: input.LaunchTemplateId, name: input.LaunchTemplateName });
      if (!input.LaunchTemplateData) throw ec2Error('MissingParameter', 'The request must contain the parameter LaunchTemplateData');
      const fingerprint = createHash('sha256').update(JSON.stringify([input.SourceVersion, input.LaunchTemplateData, input.VersionDescription])).digest('hex');
      if (input.ClientToken) {
        const seen = template.tokens.get(input.ClientToken);
        if (seen && seen.fingerprint !== fingerprint) throw ec2Error('IdempotentParameterMismatch', `Client token ${input.ClientToken} was used before with other parameters`);
        if (seen) return { LaunchTemplateVersion: this.#describeVersion(template, seen.version) };
      }
      // The new version inherits the source version's parameters except those the request gives.
      const source = input.SourceVersion ? template.versions.get(this.#versionNumber(template, input.SourceVersion))?.LaunchTemplateData : undefined;
      const number = this.#addVersion(ctx, template, { ...structuredClone(source ?? {}), ...(input.LaunchTemplateData as ResponseLaunchTemplateData) }, input.VersionDescription);
      if (input.ClientToken) template.tokens.set(input.ClientToken, { version: number, fingerprint });
      ctx.changed({ service: 'ec2', action: 'CreateLaunchTemplateVersion', resource: template.name, detail: `version ${number}${input.LaunchTemplateData.ImageId ? `: ${input.LaunchTemplateData.ImageId}` : ''}` });
      return { LaunchTemplateVersion: this.#describeVersion(template, number) };
    },
  };

  /** An AMI of the account (e.g. an older EKS-optimized release, or a custom AMI), visible to DescribeImages. */
  seedImage(target: AccountRegion, image: { name: string; architecture?: 'x86_64' | 'arm64'; id?: string }): string {
    const id = image.id ?? imageIdFor(target.region, image.name);
    this.#images.set(`${target.accountId}/${target.region}/${id}`, { id, name: image.name, architecture: image.architecture ?? (/arm64|aarch64/.test(image.name) ? 'arm64' : 'x86_64'), ownerId: target.accountId });
    return id;
  }

  /** A launch template with its version 1 (the default). */
  seedLaunchTemplate(target: AccountRegion, name: string, data: ResponseLaunchTemplateData): { id: string; name: string } {
    this.#counter += 1;
    const template: TemplateRecord = { id: `lt-${this.#counter.toString(16).padStart(17, '0')}`, name, defaultVersion: 1, versions: new Map(), tokens: new Map() };
    this.#templates.set(`${target.accountId}/${target.region}/${template.id}`, template);
    this.#addVersion(target, template, data);
    return { id: template.id, name };
  }

  /** Someone publishes a version by hand (it becomes $Latest; the default stays). */
  addVersion(target: AccountRegion, templateId: string, data: ResponseLaunchTemplateData): number {
    const template = this.#find(target, { id: templateId });
    const latest = Math.max(...template.versions.keys());
    return this.#addVersion(target, template, { ...structuredClone(template.versions.get(latest)?.LaunchTemplateData ?? {}), ...data });
  }

  /** The versions of a template, oldest first (tests assert on them). */
  versionsOf(target: AccountRegion, templateId: string): { number: number; imageId?: string; description?: string }[] {
    const template = this.#find(target, { id: templateId });
    return [...template.versions.values()].map((version) => ({ number: version.VersionNumber ?? 0, ...(version.LaunchTemplateData?.ImageId ? { imageId: version.LaunchTemplateData.ImageId } : {}), ...(version.VersionDescription ? { description: version.VersionDescription } : {}) }));
  }

  resolve(target: AccountRegion, spec: { LaunchTemplateId?: string | undefined; LaunchTemplateName?: string | undefined; Version?: string | undefined }): ResolvedLaunchTemplate | undefined {
    let template: TemplateRecord;
    let number: number;
    try {
      template = this.#find(target, { id: spec.LaunchTemplateId, name: spec.LaunchTemplateName });
      number = this.#versionNumber(template, spec.Version ?? '$Default');
    } catch {
      return undefined;
    }
    const imageId = template.versions.get(number)?.LaunchTemplateData?.ImageId;
    return { id: template.id, name: template.name, versionNumber: number, ...(imageId ? { imageId } : {}) };
  }

  #addVersion(target: AccountRegion, template: TemplateRecord, data: ResponseLaunchTemplateData, description?: string): number {
    const number = template.versions.size === 0 ? 1 : Math.max(...template.versions.keys()) + 1;
    template.versions.set(number, {
      LaunchTemplateId: template.id,
      LaunchTemplateName: template.name,
      VersionNumber: number,
      LaunchTemplateData: structuredClone(data),
      CreateTime: this.#account.clock.now(),
      CreatedBy: `arn:aws:iam::${target.accountId}:role/sandbox`,
      ...(description ? { VersionDescription: description } : {}),
    });
    return number;
  }

  #describeVersion(template: TemplateRecord, number: number): LaunchTemplateVersion {
    return { ...structuredClone(template.versions.get(number) ?? {}), DefaultVersion: number === template.defaultVersion };
  }

  #versionNumber(template: TemplateRecord, version: string): number {
    const number = version === '$Latest' ? Math.max(...template.versions.keys()) : version === '$Default' ? template.defaultVersion : Number(version);
    if (!template.versions.has(number)) throw ec2Error('InvalidLaunchTemplateId.VersionNotFound', `Could not find launch template version ${version} for launch template ${template.id}`);
    return number;
  }

  #find(target: AccountRegion, ref: { id?: string | undefined; name?: string | undefined }): TemplateRecord {
    if (ref.id && ref.name) throw ec2Error('InvalidParameterCombination', 'Specify either the launch template ID or the launch template name, not both');
    const prefix = `${target.accountId}/${target.region}/`;
    const inRegion = [...this.#templates].filter(([key]) => key.startsWith(prefix)).map(([, template]) => template);
    if (ref.id) {
      const byId = inRegion.find((template) => template.id === ref.id);
      if (!byId) throw ec2Error('InvalidLaunchTemplateId.NotFound', `The specified launch template, with template ID ${ref.id}, does not exist.`);
      return byId;
    }
    const byName = inRegion.find((template) => template.name === ref.name);
    if (!byName) throw ec2Error('InvalidLaunchTemplateName.NotFoundException', `The specified launch template, with template name ${ref.name ?? ''}, does not exist.`);
    return byName;
  }

  #visibleImages(target: AccountRegion): ImageRecord[] {
    const prefix = `${target.accountId}/${target.region}/`;
    const own = [...this.#images].filter(([key]) => key.startsWith(prefix)).map(([, image]) => image);
    const eks = eksPublicImages(target.region).map((image): ImageRecord => ({ id: image.id, name: image.name, architecture: image.architecture, ownerId: EKS_AMI_OWNER, ownerAlias: 'amazon' }));
    return [...own, ...eks];
  }
}

function imageOf(image: ImageRecord): Image {
  return { ImageId: image.id, Name: image.name, Architecture: image.architecture, OwnerId: image.ownerId, ...(image.ownerAlias ? { ImageOwnerAlias: image.ownerAlias, Public: true } : { Public: false }), State: 'available', ImageType: 'machine', RootDeviceType: 'ebs', VirtualizationType: 'hvm' };
}

function imageField(image: ImageRecord, name: string): string[] | undefined {
  if (name === 'image-id') return [image.id];
  if (name === 'name') return [image.name];
  if (name === 'architecture') return [image.architecture];
  if (name === 'owner-id') return [image.ownerId];
  if (name === 'owner-alias') return image.ownerAlias ? [image.ownerAlias] : [];
  if (name === 'state') return ['available'];
  return undefined;
}

/**
 * The scanner's shared vocabulary: what the layer walker hands analyzers, what analyzers return, and what
 * the scan reports. Every folder of `shared/scan/` speaks these types and nothing of each other's insides.
 *
 * Flow: registry (manifests, blobs as verified streams) → layers (tar entries in layer order, whiteouts
 * applied) → analyzers (each a pure function of one file's bytes) → the final filesystem's view (results
 * of files a later layer deleted or replaced are dropped) → report (inventory JSON, CycloneDX SBOM).
 */

/** Package URL types (https://github.com/package-url/purl-spec), which double as the format a package came from. */
export type PackageType = 'deb' | 'apk' | 'rpm' | 'npm' | 'pypi' | 'golang' | 'maven' | 'gem' | 'cargo';

/**
 * A package as an analyzer read it from one file. `name` is the ecosystem's own full name, the one OSV
 * records use: npm `@scope/name`, Maven `groupId:artifactId`, Go the module path, PyPI normalized (PEP 503),
 * OS packages the binary package name.
 */
export interface FoundPackage {
  type: PackageType;
  name: string;
  /**
   * The version as the ecosystem compares it: dpkg `[epoch:]upstream[-revision]`, apk `1.2.3-r0`,
   * rpm `[epoch:]version-release` (epoch only when the header has one), Go `v1.2.3` (stdlib `go1.22.1`).
   */
  version: string;
  /** OS packages: the source package OSV's distribution records are keyed by (dpkg `Source:`, apk `o:`, rpm SOURCERPM's name). */
  source?: { name: string; version?: string };
  arch?: string;
  /** rpm only: the header's fields, kept for purls and matching. */
  epoch?: number;
  release?: string;
  licenses?: string[];
}

/** The distribution the image is built on, as the OS analyzer read it. */
export interface OsInfo {
  /** os-release `ID` (`debian`, `ubuntu`, `alpine`, `amzn`, `rhel`, `centos`, `rocky`, `almalinux`, `mariner`, `azurelinux`, `wolfi`, `chainguard` …). */
  id: string;
  /** os-release `VERSION_ID` or the release file's version (`12`, `22.04`, `3.20.3`, `2023`). */
  version: string;
  name?: string;
  /** `VERSION_CODENAME` when present (`bookworm`, `jammy`). */
  codename?: string;
  /** The OSV ecosystem of its packages (`Debian:12`, `Ubuntu:22.04:LTS`, `Alpine:v3.20`), undefined when OSV has none for it. */
  osvEcosystem?: string;
  /** The file it was read from (image-absolute, e.g. `/etc/os-release`). */
  path: string;
}

export type Severity = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW' | 'INFO';

/** A secret found in a file or in the image configuration. The secret itself never leaves the scanner. */
export interface SecretFinding {
  /** Rule id, e.g. `aws-access-key-id`, `private-key`, `github-token`. */
  rule: string;
  title: string;
  severity: Severity;
  /** Image-absolute path, or `config:Env` for the image configuration. */
  path: string;
  /** Layer digest; undefined for findings in the image configuration. */
  layer?: string;
  /** 1-based line number (for `config:Env`, the index of the variable, 1-based). */
  line: number;
  /** At most the first 4 characters of the secret, then `*`s: never more. */
  masked: string;
}

/** A finding about the image configuration or manifest (runs as root, latest tag, no healthcheck …). */
export interface ConfigFinding {
  rule: string;
  title: string;
  severity: Severity;
  /** What was seen, e.g. `User is empty` or `EXPOSE 22/tcp`. Never a secret's value. */
  evidence: string;
  remedy: string;
}

/** What one analyzer made of one file. Throwing instead means the file is corrupt: the walker records a note and goes on. */
export interface AnalyzerOutput {
  packages?: FoundPackage[];
  os?: OsInfo;
  secrets?: Omit<SecretFinding, 'layer' | 'path'>[];
  /** Something worth telling the reader that is not an error (`status.d/foo has no Version`). */
  notes?: string[];
}

/** A regular file as the tar header describes it. `path` is normalized: relative to the image root, no leading `/`, no `.` or `..` segments. */
export interface FileHeader {
  path: string;
  size: number;
  /** Permission bits from the tar header (`0o755`). */
  mode: number;
  layer: string;
}

/**
 * Receives one wanted file's bytes as they stream. `write` returns `false` once it needs no more bytes
 * (the walker still drains the entry for the digest check); `end` is called once, after the last chunk or
 * after `write` returned false, and returns the analysis.
 */
export interface FileSink {
  write(chunk: Uint8Array): boolean;
  end(): AnalyzerOutput;
}

/**
 * One package format, secret rule set or release file. `open` is asked about every regular file of every
 * layer and answers undefined for files it does not want: it must be cheap (a path test), since a 1 GB
 * image has hundreds of thousands of files. Most analyzers buffer the file and parse it whole
 * (`bufferedAnalyzer`); ones that read large binaries (Go, Rust) reduce the stream to the few bytes they
 * need instead.
 */
export interface Analyzer {
  readonly name: string;
  open(file: FileHeader): FileSink | undefined;
}

/** A package as the scan reports it: where it was found, and its purl. */
export interface ScannedPackage extends FoundPackage {
  /** OSV ecosystem: `npm`, `PyPI`, `Go`, `Maven`, `RubyGems`, `crates.io`, or the distribution's (`Debian:12`); undefined when unknown. */
  ecosystem?: string;
  purl: string;
  /** Digest of the layer the declaring file came from. */
  layer: string;
  /** Image-absolute path of the file that declared it. */
  path: string;
  analyzer: string;
}

/** Something that went wrong with one part of the image; the rest of the scan goes on. */
export interface ScanProblem {
  /** Where: a layer digest, `layer:path`, a manifest digest, or `image`. */
  where: string;
  /** What the scanner did about it, in one sentence with the reason. */
  message: string;
}

/** Thrown for a registry, manifest or blob problem that stops the scan of an image (not of one file). */
export class ImageReadError extends Error {
  override readonly name = 'ImageReadError';
}

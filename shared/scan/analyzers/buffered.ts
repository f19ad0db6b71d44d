import type { Analyzer, AnalyzerOutput, FileHeader, FileSink } from '../types.ts';

export interface BufferedAnalyzerSpec {
  name: string;
  /** Whether the file is one of this format's (a path test: it runs for every file of the image). */
  matches: (path: string) => boolean;
  /** Largest file taken; a matching file over it is skipped with a note naming the cap. */
  maxBytes: number;
  /** The pure function: the whole file's bytes and its path to what it declares. Throws on corrupt input. */
  parse: (content: Buffer, path: string) => AnalyzerOutput;
}

/**
 * An analyzer that reads the whole file, up to `maxBytes`, then parses it. Files over the cap are not
 * buffered at all: the size is in the tar header, so the decision is made before the first byte.
 */
export function bufferedAnalyzer(spec: BufferedAnalyzerSpec): Analyzer {
  return {
    name: spec.name,
    open(file: FileHeader): FileSink | undefined {
      if (!spec.matches(file.path)) return undefined;
      if (file.size > spec.maxBytes) return skipped(`/${file.path} is ${file.size} bytes, over the ${spec.name} analyzer's cap of ${spec.maxBytes}: not read`);
      const chunks: Uint8Array[] = [];
      let length = 0;
      return {
        write(chunk) {
          length += chunk.length;
          // A header that lied about the size cannot make the buffer grow past the cap.
          if (length > spec.maxBytes) return false;
          chunks.push(chunk);
          return true;
        },
        end() {
          if (length > spec.maxBytes) return { notes: [`/${file.path} grew past the ${spec.name} analyzer's cap of ${spec.maxBytes} bytes: not read`] };
          return spec.parse(Buffer.concat(chunks, length), file.path);
        },
      };
    },
  };
}

function skipped(note: string): FileSink {
  return { write: () => false, end: () => ({ notes: [note] }) };
}

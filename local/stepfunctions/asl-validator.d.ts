// asl-validator ships JavaScript only; this is the part of its API validate.ts uses (dist/src/validator.js).
declare module 'asl-validator' {
  interface AslValidationError {
    'Error code': string;
    Message: string;
  }
  interface AslValidationOptions {
    checkPaths: boolean;
    checkArn: boolean;
  }
  function aslValidator(
    definition: unknown,
    options?: AslValidationOptions,
  ): { isValid: boolean; errors: AslValidationError[]; errorsText(separator?: string): string };
  export default aslValidator;
}

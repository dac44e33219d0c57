// A module resolve hook for the tfjs child only: tfjs-core publishes its gradients solely as
// ES modules with extensionless relative imports ("./gradients/Abs_grad"), which Node's
// loader rejects; this retries such specifiers with ".js".
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (e) {
    if (specifier.startsWith('.') && !specifier.endsWith('.js')) return next(`${specifier}.js`, context);
    throw e;
  }
}

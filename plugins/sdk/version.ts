/** The version of the VSP plugin SDK this build provides. Plugins declare a semver range they need. */
export const SDK_VERSION = '1.0.0';

// The secrets of the fault-secret-canary IT, each unique, so that any occurrence anywhere is a leak.
// Kept here, outside the IT's project directory: that directory is the image's build context.
def password = new File('/var/lib/frankenphp-it/registry-password').text.trim()
return [
        registryPassword: password,
        settings: 'CanarySettingsPw-e71c4a',
        settingsMaster: 'FaultMasterPw-3b9e',
        helper: 'CanaryHelperSecret-58d0b2',
]

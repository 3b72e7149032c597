def log = new File(basedir, 'build.log').text
[
    "Invalid plugin configuration (10 problems):",
    "<image><registry> = 'https://docker-registry.miweb.fr/v2': use a registry host",
    "<image><name> = 'MDB Copilot API': use lowercase letters",
    "<image><pull> = 'yes': use true or false",
    "<image><tagStrategy> (-Dfrankenphp.tagStrategy) = 'semver': use one of: timestamp, project-version, git-commit",
    "<octane><port> = 'eighty': use a whole number, such as 80",
    "<octane><workers> = 'many': use auto or a worker count",
    "<compose><schedulerMode> = 'cron': use one of: work, loop",
    "<compose><watchtowerLabels> = 'yes': use true or false",
    "<environment><DB_PASSWORD> = '(hidden)': secrets never go in the pom",
    "<pushAttempts> (-Dfrankenphp.push.attempts) = 'abc': use a whole number, 1 or more",
].each { assert log.contains(it) : "build.log lacks: ${it}" }
assert !log.contains('hunter2-in-the-pom')
assert !log.contains('Cannot convert') : 'Maven must not stop at one value before the plugin has seen the others'
assert !new File(basedir, 'target/frankenphp').exists() : 'nothing may be written when the configuration is invalid'
assert !log.contains('\tat fr.miweb') : 'a stack trace is never the message'
return true

def log = new File(basedir, 'build.log').text
assert log.contains('Invalid plugin configuration (2 problems):') : "build.log lacks: Invalid plugin configuration (2 problems):"
assert log.contains('<image><registry> = \'https://docker-registry.miweb.fr/v2\': use a registry host') : "build.log lacks: <image><registry> = 'https://docker-registry.miweb.fr/v2': use a registry host"
assert log.contains('<image><name> = \'MDB Copilot API\': use lowercase letters') : "build.log lacks: <image><name> = 'MDB Copilot API': use lowercase letters"
assert !new File(basedir, 'target/frankenphp').exists() : 'nothing may be written when the configuration is invalid'
assert !log.contains('\tat fr.miweb') : 'a stack trace is never the message'
return true

def log = new File(basedir, 'build.log').text
// Every hostile value, each with its element and the value shown on one line (line breaks as \n).
def expected = [
        "<image><registry> (frankenphp.registry) = 'docker-registry.miweb.fr\\nprivileged: true'",
        "<image><name> (frankenphp.imageName) = 'shop\"api'",
        "<image><baseImage> (frankenphp.baseImage) = 'dunglas/frankenphp:1 #latest'",
        "<image><user> = 'app\$(id)'",
        "<php><extensions><extension> = 'redis`id`'",
        "<php><ini><memory_limit> = '512M\\ndisable_functions='",
        "<php><ini><date.timezone> = 'Europe/Paris\\nauto_prepend_file=/tmp/x'",
        "<php><iniTarget> = '/usr/local/etc/php/conf.d/x.ini\${X}'",
        "<octane><workers> = '4;id'",
        "<octane><healthPath> = '/api/health;touch\${IFS}/tmp/pwned'",
        "<compose><network> = 'docker_internal\\n    privileged: true'",
        "<compose><mysqlVolume> = 'data'x'",
        "<environment><APP_URL> = 'https://example.test\\nAPP_DEBUG=true'",
        "<environment><APP_NAME> = 'Shop \$(id)'",
        "<environment><MAIL_FROM> = ''shop'@example.test'",
]
def missing = expected.findAll { line -> !log.readLines().any { it.contains(line) || it.contains(line.replaceFirst(/ \(frankenphp\.[A-Za-z]+\)/, '')) } }
assert missing.isEmpty() : "not reported: ${missing}"
assert log.contains("Invalid plugin configuration (${expected.size()} problems):")
// No hostile value became a line of the log of its own.
assert !log.readLines().any { it.trim() == 'privileged: true' || it.startsWith('APP_DEBUG=true') || it.startsWith('disable_functions=') }
def output = new File(basedir, 'target/frankenphp')
assert !output.exists() || output.list().length == 0 : "files were written: ${output.list()}"
assert !new File('/tmp/pwned').exists()
return true

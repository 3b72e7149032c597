import groovy.json.JsonSlurper

def support = evaluate(new File(basedir, '../../../src/it/common/registry.groovy'))
def repository = 'it/deploy-sample'
def image = "${support.registry}/${repository}".toString()
def log = new File(basedir, 'build.log').text

// image.json: one version, both tags pushed, one digest.
def record = new JsonSlurper().parse(new File(basedir, 'target/frankenphp/image.json'))
def version = record.version
assert version ==~ /\d{8}-\d{6}/ : "timestamp version expected, got ${version}"
assert record.tags == ["${image}:${version}".toString(), "${image}:latest".toString()]
assert record.pushed[version] ==~ /sha256:[0-9a-f]{64}/
assert record.pushed['latest'] == record.pushed[version]

// The registry has both tags, on the same manifest as recorded.
def tags = support.tags(repository)
assert tags.contains(version) && tags.contains('latest') : "registry tags: ${tags}"
assert support.manifestDigest(repository, version) == record.pushed[version]
assert support.manifestDigest(repository, 'latest') == record.pushed[version]

// The image is configured as rendered.
def inspect = new JsonSlurper().parseText(support.sh(['docker', 'image', 'inspect', "${image}:${version}".toString()]).out)[0]
def config = inspect.Config
assert config.Cmd == ['php', 'artisan', 'octane:frankenphp', '--host=0.0.0.0', '--port=80', '--admin-port=2019', '--workers=auto', '--max-requests=500']
assert config.WorkingDir == '/app'
assert config.User == 'app'
assert config.Env.contains('OCTANE_SERVER=frankenphp') && config.Env.contains('APP_ENV=production')
assert config.Labels['org.opencontainers.image.version'] == version
assert config.Labels['org.opencontainers.image.title'] == 'mvn deploy builds and pushes the version tag and latest'
assert config.Labels['org.opencontainers.image.source'] == 'https://git.example.test/miweb/deploy-sample'
assert config.Labels['org.opencontainers.image.created']
assert config.Labels['com.example.team'] == 'backend'
assert config.Healthcheck.Test.contains('http://127.0.0.1:80/api/health')

// Nothing from the host that must stay out: secrets, vendor/, node_modules/, logs, package caches.
def container = support.sh(['docker', 'create', "${image}:${version}".toString()]).out.trim()
def files = support.sh(['sh', '-c', "docker export ${container} | tar -t".toString()]).out.readLines()
support.sh(['docker', 'rm', container])
assert files.contains('app/artisan') && files.contains('app/public/index.php')
def leaked = files.findAll { it ==~ /(.*\/)?\.env(\..*)?/ && !it.endsWith('.example') }
assert leaked.isEmpty() : "dotenv files in the image: ${leaked}"
assert !files.any { it.startsWith('app/node_modules') } : 'node_modules/ from the host is in the image'
assert !files.contains('app/vendor/host-marker.txt') : 'vendor/ from the host is in the image'
assert files.contains('app/vendor/autoload.php') : 'vendor/ must come from composer install in the image'
assert !files.contains('app/storage/logs/laravel.log')
assert !files.contains('app/bootstrap/cache/packages.php')
assert !files.any { it.startsWith('app/tests/') }
// The rendered server-side files are not part of the image either.
['app/DEPLOY.md', 'app/docker-compose.prod.yml', 'app/.env.production.example'].each { assert !files.contains(it) : "${it} is in the image" }
assert files.contains('app/docker/php/php.ini') || files.any { it.endsWith('conf.d/zzz-frankenphp.ini') }

// The log says what happened, in order, and never the password.
def credentials = log.indexOf('Registry credentials for registry.frankenphp.test:5443: user \'frankenphp-it\' from Maven settings.xml')
def login = log.indexOf('Registry login to registry.frankenphp.test:5443 succeeded')
def building = log.indexOf("Building ${image}:${version} and ${image}:latest")
assert credentials >= 0 && login > credentials && building > login : 'login must be checked before the build starts'
assert log.contains('Build context: ')
assert log.contains("Pushed ${image}:${version} (${record.pushed[version]})")
assert log.contains("Pushed ${image}:latest (${record.pushed[version]})")
assert log.indexOf("Pushing ${image}:${version} then ${image}:latest") > 0
// Plain checks, not power asserts: a failing assert would print the password it found.
def password = support.password()
if (log.contains(password) || log.contains(password.bytes.encodeBase64().toString())) {
    throw new AssertionError('the registry password (plain or base64) is in build.log')
}
assert !log.contains('BUILD FAILURE')
// The frankenphp packaging deploys the image only: no Maven artifact, no <distributionManagement> needed.
assert !log.contains('maven-deploy-plugin') && !log.contains('maven-install-plugin') && !log.contains('maven-jar-plugin')
return true

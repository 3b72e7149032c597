import groovy.json.JsonSlurper

def support = evaluate(new File(basedir, '../../../src/it/common/registry.groovy'))
def repository = 'it/package-then-push'
def image = "${support.registry}/${repository}".toString()
def log = new File(basedir, 'build.log').text
def record = new JsonSlurper().parse(new File(basedir, 'target/frankenphp/image.json'))
def built = (log =~ /Building \Q${image}\E:(\d{8}-\d{6}) and/)
assert built.find() : 'no build in the log'
assert record.version == built.group(1) : 'push must push exactly the version built in the first invocation'
assert support.tags(repository).contains(record.version)
assert support.manifestDigest(repository, 'latest') == record.pushed[record.version]
// mvn package alone does not need registry credentials.
assert log.indexOf('Registry login') > log.indexOf('Building registry.frankenphp.test') : 'package must not check the registry login'
return true

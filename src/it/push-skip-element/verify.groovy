import groovy.json.JsonSlurper

def support = evaluate(new File(basedir, '../../../src/it/common/registry.groovy'))
def log = new File(basedir, 'build.log').text
assert log.contains('Building registry.frankenphp.test:5443/it/push-skip-element:')
assert log.contains('Skipping push: <pushSkip> (frankenphp.push.skip) is true.')
// No credentials exist for this build: any login check would have failed it.
assert !log.contains('Registry login') && !log.contains('Registry credentials')
def record = new JsonSlurper().parse(new File(basedir, 'target/frankenphp/image.json'))
assert !record.pushed : "nothing pushed, got ${record.pushed}"
assert support.tags('it/push-skip-element').isEmpty()
return true

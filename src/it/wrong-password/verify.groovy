def support = evaluate(new File(basedir, '../../../src/it/common/registry.groovy'))
def log = new File(basedir, 'build.log').text
assert log.contains("Registry login to registry.frankenphp.test:5443 was refused for user 'frankenphp-it' with credentials from Maven settings.xml <server> 'wrong-password'")
assert !log.contains('Building registry.frankenphp.test') : 'the build must not start with a bad password'
assert !new File(basedir, 'target/frankenphp/image.json').exists()
def previous = new File(basedir, 'previous-latest.txt').text
assert support.manifestDigest('it/wrong-password', 'latest') == previous : 'latest moved'
assert support.tags('it/wrong-password') == ['latest']
assert !log.contains('not-the-registry-password') : 'the password is in build.log'
return true

def log = new File(basedir, 'build.log').text
def record = new File(basedir, 'target/frankenphp/image.json')
assert log.count('Built sha256:') == 2 : 'invocations 1 and 4 build'
assert log.contains('Cannot reach the Docker daemon at tcp://127.0.0.1:9 (DOCKER_HOST)')
assert log.contains("<image><tag> (-Dfrankenphp.tag) = 'bad:tag'") : 'the bad tag, named by the property it came from'
// Invocations 3 and 6: the failed build before each had removed the record.
assert log.count("Nothing to push: ${record.path} does not exist") == 2
assert !log.contains('Pushing registry.frankenphp.test') : 'a push found an earlier build to publish'
assert !record.exists()
return true

def log = new File(basedir, 'build.log').text
assert log.contains("<rollbackVersion> (-Dfrankenphp.rollback.version) = '../../v2/x': name a version tag that was released")
assert !log.contains('Production engine')
assert !log.contains('server.invalid: ')
return true

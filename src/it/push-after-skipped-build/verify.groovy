def log = new File(basedir, 'build.log').text
assert log.contains('Skipping build: <buildSkip> (frankenphp.build.skip) is true.')
assert log.contains('Nothing to push: ') : 'push must stop: no image was built'
assert log.contains('The build was skipped (frankenphp.build.skip is true), so this run built no image: run it again without -Dfrankenphp.build.skip')
assert !log.contains('(mvn deploy)') : 'the user just ran mvn deploy'
assert !log.contains('\tat fr.miweb') : 'a stack trace is never the message'
return true

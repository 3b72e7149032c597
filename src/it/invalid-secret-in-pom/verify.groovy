def log = new File(basedir, 'build.log').text
assert !new File(basedir, 'build.log').text.contains('hunter2-in-the-pom')
assert log.contains('<environment><DB_PASSWORD> = \'(hidden)\': secrets never go in the pom') : "build.log lacks: <environment><DB_PASSWORD> = '(hidden)': secrets never go in the pom"
assert !new File(basedir, 'target/frankenphp').exists() : 'nothing may be written when the configuration is invalid'
assert !log.contains('\tat fr.miweb') : 'a stack trace is never the message'
return true

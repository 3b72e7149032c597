def log = new File(basedir, 'build.log').text
assert log.contains('<php><ini><memory_limit> = \'512X\': use PHP\'s size notation') : "build.log lacks: <php><ini><memory_limit> = '512X': use PHP's size notation"
assert !new File(basedir, 'target/frankenphp').exists() : 'nothing may be written when the configuration is invalid'
assert !log.contains('\tat fr.miweb') : 'a stack trace is never the message'
return true

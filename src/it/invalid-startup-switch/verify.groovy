def log = new File(basedir, 'build.log').text
[
    "<image><startup><storageLink> = 'sometimes': use true or false",
    "<image><startup><configCache> (-Dfrankenphp.startup.configCache) = 'yes': use true or false",
].each { assert log.contains(it) : "build.log lacks: ${it}" }
assert !new File(basedir, 'target/frankenphp').exists() : 'nothing may be written when the configuration is invalid'
assert !log.contains('\tat fr.miweb') : 'a stack trace is never the message'
return true

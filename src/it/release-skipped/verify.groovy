def log = new File(basedir, 'build.log').text
assert log.contains('Skipping release: <release><target> (frankenphp.release.target) is none; the release ends at the registry.') : 'the skip reason of release'
assert log.contains('Skipping rollback: <releaseSkip> (frankenphp.release.skip) is true.') : 'the skip reason of rollback'
assert !log.contains('Production engine') : 'a skipped release connects to nothing'
return true

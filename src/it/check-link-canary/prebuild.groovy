import java.nio.file.Files
import java.nio.file.Paths

evaluate(new File(basedir, '../../../src/it/common/copy-sample.groovy'))
// Only the two links matter here; the other deployment files are absent and reported as missing.
// The link targets live outside the project directory, in target/it/check-link-canary-support.
def support = new File(basedir, '../check-link-canary-support').canonicalFile
support.deleteDir()
support.mkdirs()
def dockerConfig = new File(support, 'config.json')
dockerConfig.text = '{"auths": {"registry.example": {"auth": "CanaryDockerAuth-b7d350"}}}\n'
Files.createSymbolicLink(new File(basedir, 'Dockerfile').toPath(), Paths.get('/proc/self/environ'))
Files.createSymbolicLink(new File(basedir, 'DEPLOY.md').toPath(), dockerConfig.toPath())
return true

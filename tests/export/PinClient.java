// The OkHttp client of tests/export/okhttp_export_test.cc: connects to the
// test TLS server on 127.0.0.1 for each host name given, through OkHttp's
// own CertificatePinner as exported by `pinbake export` (class
// pinbake.generated.PinbakePins), trusting only the test root.
//
//   java PinClient PORT ROOT.pem [--expired] HOST...
//
// Prints one line per host: "HOST CONNECTED" when the TLS handshake and
// OkHttp's pin check passed (EventListener.secureConnectEnd runs after
// CertificatePinner.check; the test server then closes without an HTTP
// answer), or "HOST REFUSED <exception class>: <first message line>".
// --expired: use the pinner as it is after the list's expiry.

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.Call;
import okhttp3.CertificatePinner;
import okhttp3.EventListener;
import okhttp3.Handshake;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import pinbake.generated.PinbakePins;

public final class PinClient {
  private PinClient() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    X509Certificate root;
    try (InputStream in = new FileInputStream(args[1])) {
      root = (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(in);
    }
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    store.setCertificateEntry("pinbake-test-root", root);
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    X509TrustManager trust = (X509TrustManager) factory.getTrustManagers()[0];
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, new TrustManager[] {trust}, null);

    int first = 2;
    CertificatePinner pinner = PinbakePins.certificatePinner();
    if (args.length > 2 && args[2].equals("--expired")) {
      pinner = PinbakePins.certificatePinner(PinbakePins.EXPIRES_AT_UNIX_SECONDS + 1);
      first = 3;
    }
    for (int i = first; i < args.length; i++) {
      final String host = args[i];
      final boolean[] secured = {false};
      OkHttpClient client = new OkHttpClient.Builder()
          .sslSocketFactory(tls.getSocketFactory(), trust)
          .certificatePinner(pinner)
          .dns(name -> Collections.singletonList(InetAddress.getByName("127.0.0.1")))
          .retryOnConnectionFailure(false)
          .connectTimeout(20, TimeUnit.SECONDS)
          .readTimeout(20, TimeUnit.SECONDS)
          .eventListener(new EventListener() {
            @Override
            public void secureConnectEnd(Call call, Handshake handshake) {
              secured[0] = true;
            }
          })
          .build();
      Request request = new Request.Builder().url("https://" + host + ":" + port + "/").build();
      try (Response response = client.newCall(request).execute()) {
        System.out.println(host + " CONNECTED (HTTP " + response.code() + ")");
      } catch (IOException e) {
        if (secured[0]) {
          System.out.println(host + " CONNECTED");
        } else {
          String message = String.valueOf(e.getMessage());
          int newline = message.indexOf('\n');
          if (newline >= 0) message = message.substring(0, newline);
          System.out.println(host + " REFUSED " + e.getClass().getName() + ": " + message);
        }
      }
      client.dispatcher().executorService().shutdown();
      client.connectionPool().evictAll();
    }
  }
}
